package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes the full report, indented, one trailing newline.
func WriteJSON(w io.Writer, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Formats are the report formats Write knows.
var Formats = []string{"table", "json", "markdown", "junit", "csv"}

// PerCase reports whether format lists every case (and so needs the
// run's entries).
func PerCase(format string) bool { return format == "junit" || format == "csv" }

// Write writes r in format; rows are the cases, for PerCase formats.
func Write(w io.Writer, r *Report, format string, rows []CaseRow) error {
	switch format {
	case "junit":
		return WriteJUnit(w, r, rows)
	case "csv":
		return WriteCSV(w, r, rows)
	case "table", "":
		return WriteTable(w, r)
	case "json":
		return WriteJSON(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	}
	return fmt.Errorf("unknown report format %q", format)
}
