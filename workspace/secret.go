package workspace

import (
	"encoding/json"
	"fmt"
	"strings"
)

// LooksLikeSecretIn tells whether any word of s looks like an API key
// (looksLikeSecret): prompts carry keys pasted into their text, not only
// whole fields.
func LooksLikeSecretIn(s string) bool {
	if !hasSecretPrefix(s) {
		return false
	}
	for word := range strings.FieldsFuncSeq(s, isSecretSeparator) {
		if looksLikeSecret(word) {
			return true
		}
	}
	return false
}

// hasSecretPrefix tells whether s holds one of the prefixes keys start
// with (looksLikeSecret: sk-, sk_, xoxb-, ghp_, AKIA) anywhere. An export
// asks it of every string it writes, nearly all of which hold none, and a
// search for each prefix took a twentieth of its time: four of them end
// in '-' or '_', rare in text, so each of those bytes is looked for once
// (a vectorised search) and what comes before it checked.
func hasSecretPrefix(s string) bool {
	for _, sep := range [2]byte{'-', '_'} {
		for i := 0; ; i++ {
			j := strings.IndexByte(s[i:], sep)
			if j < 0 {
				break
			}
			i += j
			before := s[:i]
			if strings.HasSuffix(before, "sk") ||
				sep == '-' && strings.HasSuffix(before, "xoxb") ||
				sep == '_' && strings.HasSuffix(before, "ghp") {
				return true
			}
		}
	}
	return strings.Contains(s, "AKIA")
}

func isSecretSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '"', '\'', '`', '=', ',', ';', '(', ')', '[', ']', '{', '}', '<', '>':
		return true
	}
	return false
}

// VersionSecret names the first field of v that looks like it holds a key.
func VersionSecret(v Version) string {
	for i, m := range v.Messages {
		if LooksLikeSecretIn(m.Content) {
			return fmt.Sprintf("messages[%d].content", i)
		}
	}
	if LooksLikeSecretIn(v.Message) {
		return "message"
	}
	for i, s := range v.Config.Stop {
		if LooksLikeSecretIn(s) {
			return fmt.Sprintf("stop[%d]", i)
		}
	}
	for i, s := range v.Scorers {
		if LooksLikeSecretIn(s) {
			return fmt.Sprintf("scorers[%d]", i)
		}
	}
	if rf := v.Config.ResponseFormat; rf != nil && len(rf.Schema) > 0 {
		var schema any
		if json.Unmarshal(rf.Schema, &schema) == nil && secretInValue(schema) {
			return "response_format.schema"
		}
	}
	if LooksLikeSecretIn(v.Config.Model) {
		return "model"
	}
	return ""
}

func secretInValue(v any) bool {
	switch x := v.(type) {
	case string:
		return LooksLikeSecretIn(x)
	case []any:
		for _, item := range x {
			if secretInValue(item) {
				return true
			}
		}
	case map[string]any:
		for k, item := range x {
			if LooksLikeSecretIn(k) || secretInValue(item) {
				return true
			}
		}
	}
	return false
}

// SecretError refuses an export; version 0 means a prompt-level field.
func SecretError(prompt string, version int, field string) error {
	where := prompt
	if version > 0 {
		where = fmt.Sprintf("%s@%d", prompt, version)
	}
	return Invalidf("export refused: %s %s holds what looks like an API key (sk-…, ghp_…, xoxb-…, AKIA…); keys never go into export files. Export the rest by naming the prompts or tags to export, leaving this one out", where, field)
}
