"""reportgen: 县域教育督导报告生成工具."""

__version__ = "0.1.0"
