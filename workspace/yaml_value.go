package workspace

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// value writes any JSON value after a "key:" written at indent.
func (w *yamlWriter) value(indent int, v any) {
	switch x := v.(type) {
	case nil:
		w.raw(" null\n")
	case bool:
		if x {
			w.raw(" true\n")
		} else {
			w.raw(" false\n")
		}
	case float64:
		w.raw(" ")
		w.raw(jsonNumber(x))
		w.raw("\n")
	case string:
		w.scalar(indent, x, true)
	case []any:
		if len(x) == 0 {
			w.raw(" []\n")
			return
		}
		w.raw("\n")
		for _, item := range x {
			w.indent(indent)
			w.raw("-")
			w.itemValue(indent+2, item)
		}
	case map[string]any:
		if len(x) == 0 {
			w.raw(" {}\n")
			return
		}
		w.raw("\n")
		for _, k := range slices.Sorted(maps.Keys(x)) {
			w.indent(indent + 2)
			w.raw(mapKey(k))
			w.raw(":")
			w.value(indent+2, x[k])
		}
	default:
		w.scalar(indent, fmt.Sprint(x), false)
	}
}

// itemValue writes a list item's value after "-": nested lists and maps
// go on the following lines.
func (w *yamlWriter) itemValue(indent int, v any) {
	switch x := v.(type) {
	case []any, map[string]any:
		if m, ok := x.(map[string]any); ok && len(m) > 0 {
			w.raw("\n")
			for _, k := range slices.Sorted(maps.Keys(m)) {
				w.indent(indent)
				w.raw(mapKey(k))
				w.raw(":")
				w.value(indent, m[k])
			}
			return
		}
		if l, ok := x.([]any); ok && len(l) > 0 {
			w.raw("\n")
			for _, item := range l {
				w.indent(indent)
				w.raw("-")
				w.itemValue(indent+2, item)
			}
			return
		}
		w.value(indent, x)
	case string:
		w.scalar(indent, x, false)
	default:
		w.value(indent, x)
	}
}

func mapKey(k string) string {
	if plainSafe(k) && !strings.ContainsAny(k, " ") {
		return k
	}
	return quoteYAML(k)
}

func jsonNumber(f float64) string {
	b, err := json.Marshal(f)
	if err != nil {
		return "0"
	}
	return string(b)
}
