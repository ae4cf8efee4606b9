"""The admin's home page: each person's work, by what their role lets them do."""
