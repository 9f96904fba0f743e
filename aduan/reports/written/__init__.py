"""The written report to the Bupati (Perbup Buton 15/2019 Pasal 12; issue 7): one `ReportData`
built from the aggregates for a period, rendered as a tagged PDF, an XLSX workbook and a zip of
CSV files; drafts annotated by the chair, issued and archived unchanged; the monthly report
issued automatically."""
