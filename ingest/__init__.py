"""Documents and websites into the index: loaders, chunking, sync; and the admin commands."""
