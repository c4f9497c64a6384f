"""What a model sees: features, the full-curve matrix, its PCA, a cross-validated
comparison of representations, and the feature-pair exercise."""
