"""Chinese names of figure ids; the naming lives in the analysis layer (``reportgen.analysis.labels``)."""
from reportgen.analysis.labels import figure_label

__all__ = ["figure_label"]
