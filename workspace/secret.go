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
	for _, prefix := range []string{"sk-", "sk_", "xoxb-", "ghp_", "AKIA"} {
		if !strings.Contains(s, prefix) {
			continue
		}
		for word := range strings.FieldsFuncSeq(s, isSecretSeparator) {
			if looksLikeSecret(word) {
				return true
			}
		}
	}
	return false
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
