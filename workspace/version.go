package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	gojson "github.com/goccy/go-json"

	"promptbench/workspace/exportfile"
)

// Roles a chat message may have.
const (
	RoleSystem    = exportfile.RoleSystem
	RoleUser      = exportfile.RoleUser
	RoleAssistant = exportfile.RoleAssistant
)

// Message is one chat message of a version; Content is a template. The
// content types live in exportfile, which applications read export files
// with, without the store.
type Message = exportfile.Message

// ResponseFormat asks the model for plain text, any JSON object or JSON
// matching a schema.
type ResponseFormat = exportfile.ResponseFormat

// ModelConfig is the model and its sampling parameters.
type ModelConfig = exportfile.ModelConfig

// Version is one immutable committed state of a prompt.
type Version struct {
	Prompt    string      `json:"prompt"`
	Number    int         `json:"number"`
	Hash      string      `json:"hash"` // full sha256 hex of the canonical content
	Parent    int         `json:"parent,omitempty"`
	Messages  []Message   `json:"messages"`
	Config    ModelConfig `json:"config"`
	Variables []string    `json:"variables,omitempty"`
	Scorers   []string    `json:"scorers,omitempty"`
	Message   string      `json:"message,omitempty"` // the commit message
	Author    string      `json:"author,omitempty"`
	Time      time.Time   `json:"time"`
}

// ShortHash is the 12-character form of the hash shown to people.
func (v Version) ShortHash() string {
	if len(v.Hash) < 12 {
		return v.Hash
	}
	return v.Hash[:12]
}

// ContentHash is the sha256 of the canonical encoding of the messages and
// the model config: two versions with the same hash say the same thing to a
// model. encoding/json writes struct fields in declaration order and map
// keys sorted, which makes it canonical for these types; the schema is
// compacted so that its formatting does not change the hash.
func ContentHash(messages []Message, cfg ModelConfig) string {
	sum := sha256.Sum256(contentEncoding(messages, cfg))
	return hex.EncodeToString(sum[:])
}

// hashMatches tells whether the version's content still has its hash, as
// export checks for every version. goccy/go-json encodes these types as
// encoding/json does, several times faster; only when its bytes do not
// give the hash does ContentHash decide, so a difference between the two
// encoders could cost time, never refuse a sound version.
func hashMatches(v Version) bool {
	if rf := v.Config.ResponseFormat; rf == nil || len(rf.Schema) == 0 {
		b, err := gojson.Marshal(struct {
			Messages []Message   `json:"messages"`
			Config   ModelConfig `json:"config"`
		}{v.Messages, v.Config})
		if err == nil {
			sum := sha256.Sum256(b)
			if hex.EncodeToString(sum[:]) == v.Hash {
				return true
			}
		}
	}
	return ContentHash(v.Messages, v.Config) == v.Hash
}

// contentEncoding is the canonical encoding ContentHash hashes.
func contentEncoding(messages []Message, cfg ModelConfig) []byte {
	if cfg.ResponseFormat != nil && len(cfg.ResponseFormat.Schema) > 0 {
		rf := *cfg.ResponseFormat
		rf.Schema = CanonicalJSON(rf.Schema)
		cfg.ResponseFormat = &rf
	}
	b, err := json.Marshal(struct {
		Messages []Message   `json:"messages"`
		Config   ModelConfig `json:"config"`
	}{messages, cfg})
	if err != nil {
		// Only unencodable floats (NaN, Inf) get here, and validation refuses them.
		panic("workspace: content hash: " + err.Error())
	}
	return b
}

// CanonicalJSON re-encodes raw JSON with sorted keys and no insignificant
// white space; invalid JSON is returned unchanged (validation reports it).
// Numbers go through float64, so 1, 1.0 and 1e0 encode alike: JSON Schema
// holds them equal, and the content hash of every stored version has always
// been computed this way (changing it would change those hashes). The
// response cache's keys use it too: one canonical form in the program.
func CanonicalJSON(raw json.RawMessage) json.RawMessage {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}
