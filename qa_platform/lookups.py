"""Query helpers the ORM lacks."""

from django.db.models import Lookup


class AnyOf(Lookup):
    """``column = ANY(%s)`` with the values as one array parameter: ``filter(AnyOf(F("team_id"), ids))``.

    ``__in`` compiles and binds a placeholder per value; for a national purview's hundred and fifty teams that cost
    about a millisecond on every query of a reporting page. The planner treats both alike."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
