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
var Formats = []string{"table", "json", "jsonl", "csv", "markdown", "github", "junit", "html"}

// PerCase reports whether format lists cases (and so needs the run's
// results and entries).
func PerCase(format string) bool {
	switch format {
	case "junit", "csv", "jsonl", "html":
		return true
	}
	return false
}

// Write writes r in format. The per-case formats also need the run's
// results and a way to read its entries (nil for the others).
func Write(w io.Writer, r *Report, format string, res *Results, fetch Fetch) error {
	if PerCase(format) && (res == nil || fetch == nil) {
		return fmt.Errorf("the %s report needs the run's cases", format)
	}
	if PerCase(format) {
		if err := writeCases(w, r, format, res, fetch); err != nil {
			return err
		}
		// A failure to read the results back leaves the report short.
		return res.Err()
	}
	switch format {
	case "table", "":
		return WriteTable(w, r)
	case "json":
		return WriteJSON(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	case "github":
		return WriteGitHub(w, r)
	}
	return fmt.Errorf("unknown report format %q", format)
}

// writeCases writes a per-case format.
func writeCases(w io.Writer, r *Report, format string, res *Results, fetch Fetch) error {
	switch format {
	case "junit":
		return WriteJUnit(w, r, res, res.Rows(fetch))
	case "csv":
		return WriteCSV(w, r, res.Rows(fetch))
	case "jsonl":
		return WriteJSONL(w, r, res.Rows(fetch))
	}
	return WriteHTML(w, r, res, fetch)
}
