"""The index: Chroma generations and their manifests, and the embedding model."""
