package workspace

import (
	"slices"
	"strings"
	"testing"
)

func TestTeamConfig(t *testing.T) {
	cfg, _, err := ParseConfig("config.yaml", []byte(`protected_labels:
  - production
  - {label: staging, prompts: ["support/**"]}
owners:
  "support/**": [alice, carol]
  "support/reply": erin
`))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.IsProtected("fun/joke", "production") || cfg.IsProtected("fun/joke", "staging") || !cfg.IsProtected("support/x", "staging") {
		t.Fatalf("protected labels: %+v", cfg.ProtectedLabels)
	}
	if got := cfg.OwnersOf("support/reply"); !slices.Equal(got, []string{"erin"}) {
		t.Fatalf("owners of support/reply = %v; the last matching pattern decides", got)
	}
	if got := cfg.OwnersOf("support/style"); !slices.Equal(got, []string{"alice", "carol"}) {
		t.Fatalf("owners of support/style = %v", got)
	}
	if got := cfg.OwnersOf("fun/joke"); got != nil {
		t.Fatalf("owners of fun/joke = %v", got)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"owners:\n  \"support/[x\": [a]\n", `owners: prompt pattern "support/[x"`},
		{"owners:\n  \"support/**\": []\n", "owners.support/**: no people"},
		{"protected_labels: [Production]\n", `protected_labels[0]: label "Production"`},
		{"protected_labels:\n  - {label: staging, prompts: [\"a//b\"]}\n", `protected_labels[1]`},
	} {
		_, _, err := ParseConfig("config.yaml", []byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), strings.ReplaceAll(tc.want, "[1]", "[0]")) {
			t.Errorf("%q: err = %v; want %q", tc.yaml, err, tc.want)
		}
	}
}
