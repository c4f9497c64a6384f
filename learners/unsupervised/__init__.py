"""Learning without labels on indentation maps and curve sets.

- :mod:`.map_features`: feature tables, scaling, resampled curves and their PCA.
- :mod:`.clustering`: phase clustering and model selection (BIC, silhouette, elbow).
- :mod:`.deconvolution`: statistical deconvolution of the phase populations.
- :mod:`.cluster_scores`: a clustering scored against the simulator's phase map.
- :mod:`.correlative`: boundaries of a registered micrograph, interior indents.
- :mod:`.anomaly`: detectors of anomalous curves and their report against the truth.
"""
