package tui

import (
	"encoding/json"
	"strings"

	"promptbench/eval/dataset"
	"promptbench/tui/termtext"
)

type datasetError string

func (e datasetError) Error() string { return string(e) }

const errNoDataset = datasetError("no file named; type the path of a .jsonl, .csv or .json dataset")

// formValue shows a variable's value as the form holds it: text as it is,
// anything else as JSON (which parseFormValue reads back).
func formValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// parseFormValue reads a typed value: a JSON object, array, true, false
// or null is that value (sections and lists need them); anything else is
// text, numbers included, which render the same either way.
func parseFormValue(s string) any {
	t := strings.TrimSpace(s)
	if t == "true" || t == "false" || t == "null" || strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		var v any
		if json.Unmarshal([]byte(t), &v) == nil {
			return v
		}
	}
	return s
}

// rowPreview is a dataset row in one line: its id and variables.
func rowPreview(row dataset.Row) string {
	b, _ := json.Marshal(row.Vars)
	return termtext.Sanitize(row.ID) + "  " + termtext.Sanitize(string(b))
}
