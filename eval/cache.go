package eval

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"promptbench/workspace"
)

// Cache stores results of identical requests. Implementations are safe
// for concurrent use; the store-backed one lives with the workspace.
type Cache interface {
	// Get returns the result stored under key and whether there was one.
	Get(key string) (Result, bool, error)
	// Put stores a successful result under key.
	Put(key string, res Result) error
}

// cacheKeyVersion changes whenever the key's encoding does, so that old
// entries are simply missed.
const cacheKeyVersion = 1

// CacheKey is the hex sha256 of the canonical JSON of everything that
// decides a model's answer: provider, model, sampling parameters and
// messages. params.Model is ignored (provider and model say it); a JSON
// schema's formatting and key order do not count; streaming does not
// count. It is "" only for parameters JSON cannot encode (NaN), which
// callers treat as uncacheable.
func CacheKey(provider, model string, params workspace.ModelConfig, messages []workspace.Message) string {
	params.Model = ""
	if rf := params.ResponseFormat; rf != nil && len(rf.Schema) > 0 {
		c := *rf
		c.Schema = canonicalJSON(rf.Schema)
		params.ResponseFormat = &c
	}
	if messages == nil {
		messages = []workspace.Message{}
	}
	b, err := json.Marshal(struct {
		V        int                   `json:"v"`
		Provider string                `json:"provider"`
		Model    string                `json:"model"`
		Params   workspace.ModelConfig `json:"params"`
		Messages []workspace.Message   `json:"messages"`
	}{cacheKeyVersion, provider, model, params, messages})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// canonicalJSON re-encodes raw with sorted keys, no insignificant space
// and numbers as written; invalid JSON is returned as it is.
func canonicalJSON(raw json.RawMessage) json.RawMessage {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}
