"""The assessments pages, one module per screen: drafts (the IQA form), iqas (reading and managing recorded IQAs),
feedback, challenges (acknowledgement, challenges and their decisions) and plans. assessments/urls.py maps them."""
