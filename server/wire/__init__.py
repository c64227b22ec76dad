"""Each resource's wire form, one module per family (named like its service
and storage modules): stored rows to response protos, and request protos to
the plain values storage takes. Service modules import these, never each
other; these never import services or the REST edge.
"""
