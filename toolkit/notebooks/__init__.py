"""Find the workbook's notebooks, read their parameters, and run them with papermill."""
