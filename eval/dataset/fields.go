package dataset

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Reserved fields are taken out of a row's variables.
const (
	fieldID       = "id"
	fieldExpected = "expected"
	fieldTags     = "tags"
)

// rowFrom turns one decoded object into a Row: the reserved fields move
// out, the rest are the variables. defaultID is used when there is no id.
func rowFrom(name string, line int, obj map[string]any, defaultID string) (Row, error) {
	row := Row{ID: defaultID, Line: line, Vars: obj}
	if v, ok := obj[fieldID]; ok {
		id, err := idOf(v)
		if err != nil {
			return Row{}, &Error{Path: name, Line: line, Msg: err.Error()}
		}
		row.ID = id
		delete(obj, fieldID)
	}
	if v, ok := obj[fieldExpected]; ok {
		row.Expected = v
		delete(obj, fieldExpected)
	}
	if v, ok := obj[fieldTags]; ok {
		tags, err := tagsOf(v)
		if err != nil {
			return Row{}, &Error{Path: name, Line: line, Msg: err.Error()}
		}
		row.Tags = tags
		delete(obj, fieldTags)
	}
	return row, nil
}

func idOf(v any) (string, error) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return "", fmt.Errorf(`field "id" is empty; give each row a non-empty id or leave the field out`)
		}
		return x, nil
	case json.Number:
		return string(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	}
	return "", fmt.Errorf(`field "id" must be a string or a number, not %s`, kindOf(v))
}

func tagsOf(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf(`field "tags" must be a list of strings, not %s`, kindOf(v))
	}
	tags := make([]string, 0, len(list))
	for i, t := range list {
		s, ok := t.(string)
		if !ok {
			return nil, fmt.Errorf(`field "tags"[%d] must be a string, not %s`, i, kindOf(t))
		}
		tags = append(tags, s)
	}
	return tags, nil
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// decodeObject decodes one JSON object, numbers kept as json.Number so
// that ids and large integers keep their exact text.
func decodeObject(data []byte) (map[string]any, error) {
	var v any
	if err := unmarshalNumber(data, &v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a row must be a JSON object, not %s", kindOf(v))
	}
	return obj, nil
}
