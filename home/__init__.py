"""The pages that gather every app's parts: the home page's cards and a person's page. The top layer: it may import
every app, and none imports it."""
