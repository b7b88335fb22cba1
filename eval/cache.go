package eval

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"promptbench/eval/provider"
	"promptbench/workspace"
)

// RequestKey is the response-cache key of a request, or "" when its model
// is not written provider/model.
func RequestKey(req Request) string {
	pn, m, err := provider.SplitModel(req.Params.Model)
	if err != nil {
		return ""
	}
	return CacheKey(pn, m, req.Params, req.Messages)
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
