from tests.progress.workbook import workbook

__all__ = ["workbook"]
