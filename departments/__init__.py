"""The participant side: one adapter interface, the runtime that serves it, and the simulators."""
