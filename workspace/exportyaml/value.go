package exportyaml

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Value writes any JSON value after a "key:" written at indent.
func (w *Writer) Value(indent int, v any) {
	switch x := v.(type) {
	case nil:
		w.Raw(" null\n")
	case bool:
		if x {
			w.Raw(" true\n")
		} else {
			w.Raw(" false\n")
		}
	case float64:
		w.Raw(" ")
		w.Raw(jsonNumber(x))
		w.Raw("\n")
	case string:
		w.Scalar(indent, x, true)
	case []any:
		if len(x) == 0 {
			w.Raw(" []\n")
			return
		}
		w.Raw("\n")
		for _, item := range x {
			w.Indent(indent)
			w.Raw("-")
			w.itemValue(indent+2, item)
		}
	case map[string]any:
		if len(x) == 0 {
			w.Raw(" {}\n")
			return
		}
		w.Raw("\n")
		for _, k := range slices.Sorted(maps.Keys(x)) {
			w.Indent(indent + 2)
			w.Raw(mapKey(k))
			w.Raw(":")
			w.Value(indent+2, x[k])
		}
	default:
		w.Scalar(indent, fmt.Sprint(x), false)
	}
}

// itemValue writes a list item's value after "-": nested lists and maps
// go on the following lines.
func (w *Writer) itemValue(indent int, v any) {
	switch x := v.(type) {
	case []any, map[string]any:
		if m, ok := x.(map[string]any); ok && len(m) > 0 {
			w.Raw("\n")
			for _, k := range slices.Sorted(maps.Keys(m)) {
				w.Indent(indent)
				w.Raw(mapKey(k))
				w.Raw(":")
				w.Value(indent, m[k])
			}
			return
		}
		if l, ok := x.([]any); ok && len(l) > 0 {
			w.Raw("\n")
			for _, item := range l {
				w.Indent(indent)
				w.Raw("-")
				w.itemValue(indent+2, item)
			}
			return
		}
		w.Value(indent, x)
	case string:
		w.Scalar(indent, x, false)
	default:
		w.Value(indent, x)
	}
}

func mapKey(k string) string {
	if PlainSafe(k) && !strings.ContainsAny(k, " ") {
		return k
	}
	return Quote(k)
}

func jsonNumber(f float64) string {
	b, err := json.Marshal(f)
	if err != nil {
		return "0"
	}
	return string(b)
}
