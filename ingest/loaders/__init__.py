"""One loader per format: each returns what the document says about itself and its sections."""
