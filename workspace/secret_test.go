package workspace

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"promptbench/workspace/exportyaml"
)

// TestSecretPrefixSearch: the one-pass search finds a key's prefix
// wherever a search for each prefix does.
func TestSecretPrefixSearch(t *testing.T) {
	prefixes := []string{"sk-", "sk_", "xoxb-", "ghp_", "AKIA"}
	each := func(s string) bool {
		for _, p := range prefixes {
			if strings.Contains(s, p) {
				return true
			}
		}
		return false
	}
	texts := []string{"", "-", "_", "s-", "k-", "sk", "sk-", "xsk_", "ask-me", "risk_x", "ghp", "gh_p", "ghp_",
		"xob-", "oxb-", "xoxb-", "xoxb", "AKI", "AKIA", "aKIA", "gpt-4o-mini", "2026-11-30T13:36:09Z",
		"a-b_c-d_e", "--sk--", "__ghp__", "ski-sk-", "s\u00e9k-", "x-o-x-b-", "AKAKIA"}
	for _, a := range texts {
		for _, b := range texts {
			s := a + b
			if got, want := hasSecretPrefix(s), each(s); got != want {
				t.Errorf("hasSecretPrefix(%q) = %v, want %v", s, got, want)
			}
		}
	}
}

// TestVersionRecordSecret: a key in any string of a version record
// refuses its export, also where the record spells it with escapes.
func TestVersionRecordSecret(t *testing.T) {
	messages := []Message{{Role: RoleUser, Content: "Hello {{name}}"}}
	cfg := ModelConfig{Model: "openai/gpt-4o-mini"}
	base := Version{Prompt: "p", Number: 1, Hash: ContentHash(messages, cfg), Messages: messages, Config: cfg,
		Author: "ann", Time: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}
	key := "sk-live-0123456789abcdefghijklmn"
	record := func(v Version) []byte {
		v.Hash = ContentHash(v.Messages, v.Config)
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := map[string][]byte{
		"content": record(Version{Prompt: "p", Number: 1, Messages: []Message{{Role: RoleUser, Content: "use " + key}},
			Config: cfg, Author: "ann", Time: base.Time}),
		"message":  record(Version{Prompt: "p", Number: 1, Messages: messages, Config: cfg, Message: key, Author: "ann", Time: base.Time}),
		"scorer":   record(Version{Prompt: "p", Number: 1, Messages: messages, Config: cfg, Scorers: []string{"contains:a " + key}, Author: "ann", Time: base.Time}),
		"escaped":  []byte(strings.Replace(string(record(base)), "Hello", `\u0073k-live-0123456789abcdefghijklmn`, 1)),
		"stop":     record(Version{Prompt: "p", Number: 1, Messages: messages, Config: ModelConfig{Model: "openai/gpt-4o-mini", Stop: []string{key}}, Author: "ann", Time: base.Time}),
		"no space": record(Version{Prompt: "p", Number: 1, Messages: []Message{{Role: RoleUser, Content: "key=" + key + ";"}}, Config: cfg, Author: "ann", Time: base.Time}),
	}
	for name, rec := range cases {
		var vw VersionRecordWriter
		err := vw.Write(&exportyaml.Writer{}, "p", 1, rec)
		if err == nil || !strings.Contains(err.Error(), "looks like an API key") {
			t.Errorf("%s: got %v, want a refusal", name, err)
		}
	}
	// A prefix alone, in a name or a word too short to be a key, is no
	// key: the record is checked field by field and exported.
	clean := record(Version{Prompt: "risk-desk", Number: 1, Messages: []Message{{Role: RoleUser, Content: "ask-me about sk-short"}},
		Config: cfg, Author: "ann", Time: base.Time})
	var vw VersionRecordWriter
	if err := vw.Write(&exportyaml.Writer{}, "risk-desk", 1, clean); err != nil {
		t.Errorf("clean record refused: %v", err)
	}
}
