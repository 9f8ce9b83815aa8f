"""Danish text for search: normalisation and stems, the keyword index, language, glossary."""
