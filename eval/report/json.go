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
var Formats = []string{"table", "json", "markdown"}

// Write writes r in format.
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case "table", "":
		return WriteTable(w, r)
	case "json":
		return WriteJSON(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	}
	return fmt.Errorf("unknown report format %q", format)
}
