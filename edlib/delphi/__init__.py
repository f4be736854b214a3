"""Delphi surveys: rounds of ratings on statements, their feedback and their statistics (methods.md section 3)."""
