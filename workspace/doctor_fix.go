package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"promptbench/storage"
)

// The fixes doctor --repair applies. Each reads what it needs inside the
// repair's transaction and writes only derived data, so that applying one
// twice, or after a crash half-way, gives the same store.

// derived is what a prompt record derives from its versions.
type derived struct {
	latest            int
	hash, model       string
	created, updated  Version // times of the lowest- and highest-numbered readable versions
	anyVersion, found bool
}

func deriveFromVersions(tx *storage.Tx, name string) (derived, error) {
	var d derived
	err := tx.ScanVersions(name, func(n int, b []byte) error {
		d.latest, d.anyVersion = n, true
		v, err := DecodeVersion(name, n, b)
		if err != nil {
			// An unreadable latest version tells nothing; keep what the
			// record says rather than guess.
			d.found = false
			return nil
		}
		if d.created.Number == 0 {
			d.created = v
		}
		d.hash, d.model, d.updated, d.found = v.Hash, v.Config.Model, v, true
		return nil
	})
	return d, err
}

// fixPromptRecord recomputes the derived fields of a prompt record: name,
// latest number, hash and model of the latest version, sorted tags.
func fixPromptRecord(name string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		p, err := GetPrompt(tx, name)
		if err != nil {
			return err
		}
		d, err := deriveFromVersions(tx, name)
		if err != nil || !d.anyVersion {
			return err
		}
		p.Name, p.Latest, p.Tags = name, d.latest, normalTags(p.Tags)
		if d.found {
			p.LatestHash, p.Model = d.hash, d.model
		}
		return putPrompt(tx, p)
	}
}

// fixMissingPrompt rebuilds the record of a prompt that has versions but
// no record, from the versions, the tags the tag index files under its
// name and the labels as the audit trail last moved them (those naming a
// version that exists). The description went with the record; nothing
// here can bring it back, and the report says so.
func fixMissingPrompt(name string, indexTags []string, labels map[string]int) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		if _, err := tx.GetPrompt(name); !errors.Is(err, storage.ErrNotFound) {
			return err // already there (nil), or a read error
		}
		d, err := deriveFromVersions(tx, name)
		if err != nil || !d.anyVersion {
			return err
		}
		p := Prompt{
			Name:       name,
			Tags:       normalTags(indexTags),
			Latest:     d.latest,
			LatestHash: d.hash,
			Model:      d.model,
			Created:    d.created.Time,
			Updated:    d.updated.Time,
		}
		for l, n := range labels {
			if _, err := tx.GetVersion(name, n); err == nil {
				if p.Labels == nil {
					p.Labels = map[string]int{}
				}
				p.Labels[l] = n
			}
		}
		return putPrompt(tx, p)
	}
}

// fixVariables recomputes the variables a version's templates use. They
// are derived, outside the content hash, so the version stays the same
// version.
func fixVariables(name string, n int) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		v, err := getVersion(tx, name, n)
		if err != nil {
			return err
		}
		pm, err := parseMessages(v.Messages)
		if err != nil {
			return fmt.Errorf("%s@%d: %w", name, n, err)
		}
		if slices.Equal(pm.variables, v.Variables) {
			return nil
		}
		v.Variables = pm.variables
		return putVersion(tx, v)
	}
}

// fixDeleteTag removes a tag index entry for a prompt that does not carry
// the tag, as the transaction sees it.
func fixDeleteTag(tag, name string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		p, err := GetPrompt(tx, name)
		switch {
		case err == nil && slices.Contains(p.Tags, tag):
			return nil // the prompt carries it by now
		case errors.Is(err, ErrNotFound):
			// A record may still be rebuilt from versions, and would take
			// its tags from the index: keep the entry then.
			if has, err := hasVersions(tx, name); has || err != nil {
				return err
			}
		case err != nil:
			return err
		}
		return tx.DeleteTag(tag, name)
	}
}

// fixPutTag adds the tag index entry of a tag the prompt carries.
func fixPutTag(tag, name string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		p, err := GetPrompt(tx, name)
		if errors.Is(err, ErrNotFound) || (err == nil && !slices.Contains(p.Tags, tag)) {
			return nil // gone, or retagged, in the meantime
		}
		if err != nil {
			return err
		}
		return tx.PutTag(tag, name)
	}
}

var errFound = errors.New("found")

func hasVersions(tx *storage.Tx, name string) (bool, error) {
	err := tx.ScanVersions(name, func(int, []byte) error { return errFound })
	if errors.Is(err, errFound) {
		return true, nil
	}
	return false, err
}

func fixDeleteStray(k storage.StrayKey) func(*storage.Tx) error {
	return func(tx *storage.Tx) error { return tx.DeleteStrayKey(k) }
}

// fixDeleteEmptyLog removes a log key that holds no entry at all: there
// is nothing in it to lose.
func fixDeleteEmptyLog(name string, n int, id string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		b, err := tx.GetLog(name, n, id)
		if errors.Is(err, storage.ErrNotFound) || (err == nil && len(b) > 0) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.DeleteLog(name, n, id)
	}
}

// fixDeleteCache removes a cached response that cannot be read: a cache
// only saves a model call, which the next run makes again.
func fixDeleteCache(key string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		b, err := tx.GetCache(key)
		if errors.Is(err, storage.ErrNotFound) || (err == nil && json.Valid(b)) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.DeleteCache(key)
	}
}

// fixLegacyHash gives a version an older binary committed with invalid
// UTF-8 the hash of its text as stored: the original bytes were replaced
// by U+FFFD at commit and exist nowhere, so the recorded hash names
// content no one has, and every export of the library is refused. The text
// stays exactly as it is. It applies only while the content still hashes,
// encoded as that binary encoded it, to the recorded hash: tampered content
// is never rehashed.
func fixLegacyHash(name string, n int, old, sum string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		v, err := getVersion(tx, name, n)
		if err != nil {
			return err
		}
		if v.Hash != old || ContentHash(v.Messages, v.Config) != sum {
			return nil // rehashed already, or changed since the check
		}
		if _, _, ok := replacedUTF8(v); !ok {
			return nil
		}
		v.Hash = sum
		if err := putVersion(tx, v); err != nil {
			return err
		}
		p, err := GetPrompt(tx, name)
		if errors.Is(err, ErrNotFound) || (err == nil && p.LatestHash != old) {
			return nil
		}
		if err != nil {
			return err
		}
		p.LatestHash = sum
		return putPrompt(tx, p)
	}
}

// fixLogHash moves a log entry from a version's old hash to its new one.
// It edits the stored JSON in place, so that fields this binary does not
// know survive.
func fixLogHash(name string, n int, id, old, sum string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		b, err := tx.GetLog(name, n, id)
		if err != nil {
			return err
		}
		var e map[string]json.RawMessage
		if json.Unmarshal(b, &e) != nil || !jsonIs(e["hash"], old) {
			return nil
		}
		e["hash"], _ = json.Marshal(sum)
		if b, err = json.Marshal(e); err != nil {
			return fmt.Errorf("encode log %s: %w", id, err)
		}
		return tx.PutLog(name, n, id, b)
	}
}

// fixRunHash moves a run's variants from a version's old hash to its new
// one, editing the stored JSON as fixLogHash does.
func fixRunHash(id, old, sum string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		b, err := tx.GetRun(id)
		if err != nil {
			return err
		}
		var r map[string]json.RawMessage
		var variants []map[string]json.RawMessage
		if json.Unmarshal(b, &r) != nil || json.Unmarshal(r["variants"], &variants) != nil {
			return nil
		}
		changed := false
		for _, v := range variants {
			if jsonIs(v["hash"], old) {
				v["hash"], _ = json.Marshal(sum)
				changed = true
			}
		}
		if !changed {
			return nil
		}
		if r["variants"], err = json.Marshal(variants); err == nil {
			b, err = json.Marshal(r)
		}
		if err != nil {
			return fmt.Errorf("encode run %s: %w", id, err)
		}
		return tx.PutRun(id, b)
	}
}

// jsonIs tells whether raw is the JSON string s.
func jsonIs(raw json.RawMessage, s string) bool {
	var got string
	return json.Unmarshal(raw, &got) == nil && got == s
}
