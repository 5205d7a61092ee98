"""The read model, in one place for the window and the ops API: the projector that keeps it in
Redis from the case-events topic, its keys, its queries, its in-memory fake, its catch-up after
Redis lost writes and its rebuild (``python -m onething.readmodel.rebuild``)."""
