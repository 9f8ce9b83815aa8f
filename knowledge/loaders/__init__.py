"""Readers that turn one file format into sections of text with headings and pages."""
