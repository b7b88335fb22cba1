package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// parseVars merges --vars FILE.json (an object of any JSON values) and
// --var name=value pairs (strings; a dotted name builds nested objects, so
// --var customer.name=Ann works like {"customer": {"name": "Ann"}}).
// Flags win over the file.
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
			return nil, usagef(fmt.Sprintf("--vars %s: not a JSON object of variables: %v", file, err))
		}
	}
	for _, pair := range pairs {
		name, value, ok := strings.Cut(pair, "=")
		if !ok || name == "" {
			return nil, usagef(fmt.Sprintf("--var %q: write name=value", pair))
		}
		if err := setPath(vars, strings.Split(name, "."), value); err != nil {
			return nil, usagef(fmt.Sprintf("--var %s: %v", name, err))
		}
	}
	return vars, nil
}

func setPath(m map[string]any, path []string, value string) error {
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
