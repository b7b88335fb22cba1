package eval

import (
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
// entries are simply missed (2: schemas canonical as in content hashes).
const cacheKeyVersion = 2

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
		c.Schema = workspace.CanonicalJSON(rf.Schema)
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
