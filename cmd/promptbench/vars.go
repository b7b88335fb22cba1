package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// parseVars merges --vars FILE.json (an object of any JSON values) and
// --var pairs: name=value sets a string, name:=JSON any JSON value (false,
// [], 3, {"a": 1}), as httpie writes them; a dotted name builds nested
// objects, so --var customer.name=Ann works like {"customer": {"name":
// "Ann"}}. Flags win over the file.
func parseVars(file string, pairs []string) (map[string]any, error) {
	vars := map[string]any{}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, usagef(fmt.Sprintf("--vars: %v", err))
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&vars); err != nil {
			return nil, usagef(fmt.Sprintf("--vars %s: must hold one JSON object of variables, like {\"topic\": \"cats\", \"short\": false}", file))
		}
	}
	for _, pair := range pairs {
		name, raw, ok := strings.Cut(pair, "=")
		if !ok || name == "" || name == ":" {
			return nil, usagef(fmt.Sprintf("--var %q: write name=text, or name:=JSON for other values (name:=false, name:=[])", pair))
		}
		var value any = raw
		if jsonName, isJSON := strings.CutSuffix(name, ":"); isJSON {
			name = jsonName
			dec := json.NewDecoder(strings.NewReader(raw))
			dec.UseNumber()
			if err := dec.Decode(&value); err != nil || dec.More() {
				return nil, usagef(fmt.Sprintf("--var %s:=%s: not a JSON value; write e.g. %s:=false, %s:=[] or %s:='\"text\"'", name, raw, name, name, name))
			}
		}
		if err := setPath(vars, strings.Split(name, "."), value); err != nil {
			return nil, usagef(fmt.Sprintf("--var %s: %v", name, err))
		}
	}
	return vars, nil
}

func setPath(m map[string]any, path []string, value any) error {
	for _, p := range path {
		if p == "" {
			return fmt.Errorf("empty part in a dotted name")
		}
	}
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			if _, exists := m[p]; exists {
				return fmt.Errorf("%s is already set to a value that is not an object", p)
			}
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = value
	return nil
}
