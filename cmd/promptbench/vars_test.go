package main

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParseVars(t *testing.T) {
	tests := []struct {
		name  string
		pairs []string
		want  string // JSON of the result
		bad   bool
	}{
		{"text", []string{"topic=cats"}, `{"topic":"cats"}`, false},
		{"text with =", []string{"eq=a=b"}, `{"eq":"a=b"}`, false},
		{"dotted", []string{"customer.name=Ann", "customer.tier=gold"}, `{"customer":{"name":"Ann","tier":"gold"}}`, false},
		{"json false", []string{"short:=false"}, `{"short":false}`, false},
		{"json list", []string{"items:=[{\"title\":\"a\"}]"}, `{"items":[{"title":"a"}]}`, false},
		{"json number", []string{"n:=3"}, `{"n":3}`, false},
		{"text false stays text", []string{"short=false"}, `{"short":"false"}`, false},
		{"bad json", []string{"short:=nope"}, ``, true},
		{"no equals", []string{"topic"}, ``, true},
		{"empty name", []string{"=x"}, ``, true},
		{"conflict", []string{"a=1", "a.b=2"}, ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseVars("", tt.pairs)
			if tt.bad {
				if err == nil || exitCode(err) != exitUsage {
					t.Fatalf("parseVars(%q) = %v, %v; want a usage error", tt.pairs, got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(got)
			var norm any
			_ = json.Unmarshal(b, &norm)
			if !reflect.DeepEqual(norm, want) {
				t.Fatalf("parseVars(%q) = %s, want %s", tt.pairs, b, tt.want)
			}
		})
	}
}
