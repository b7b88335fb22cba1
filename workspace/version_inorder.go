package workspace

// An export reads every version record of the library, each laid out as
// encoding/json writes a Version (commit.go): its keys in the order of the
// struct's fields, each once. decodeVersionInOrder reads that layout
// straight through, expecting each key where it comes, where the general
// decoder (decodeVersionWith) looks every key up: that look-up, the
// record's time turned into a time.Time and the time turned back into
// text took about a third of writing a version. Anything else declines,
// and the general decoder reads the record.

// decodeVersionInOrder reads a record laid out as encoding/json writes a
// Version, but for a response format (rare: the general decoder reads
// those). It also returns the bounds of the "messages" and "config"
// values, for the hash check (partsHashMatch: every key known, none
// twice), and the time's text, which is how export files write it (no
// need to read it as a time); the time field of v is left zero.
func decodeVersionInOrder(d *promptScanner) (v Version, parts hashedParts, timeText []byte, ok bool) {
	first := true
	if !d.key("prompt", &first) {
		return v, parts, nil, false
	}
	if v.Prompt, ok = d.jsonString(); !ok || !d.key("number", &first) {
		return v, parts, nil, false
	}
	if v.Number, ok = d.int(); !ok || !d.key("hash", &first) {
		return v, parts, nil, false
	}
	if v.Hash, ok = d.jsonString(); !ok {
		return v, parts, nil, false
	}
	if d.key("parent", &first) {
		if v.Parent, ok = d.int(); !ok {
			return v, parts, nil, false
		}
	}
	if !d.key("messages", &first) {
		return v, parts, nil, false
	}
	start := d.i
	if v.Messages, ok = d.messagesInOrder(); !ok {
		return v, parts, nil, false
	}
	parts.messages = d.b[start:d.i]
	if !d.key("config", &first) {
		return v, parts, nil, false
	}
	start = d.i
	if v.Config, ok = d.configInOrder(); !ok {
		return v, parts, nil, false
	}
	parts.config = d.b[start:d.i]
	if d.key("variables", &first) && !d.skipStrings() {
		return v, parts, nil, false
	}
	if d.key("scorers", &first) {
		if v.Scorers, ok = d.jsonStrings(); !ok {
			return v, parts, nil, false
		}
	}
	if d.key("message", &first) {
		if v.Message, ok = d.jsonString(); !ok {
			return v, parts, nil, false
		}
	}
	if d.key("author", &first) {
		if v.Author, ok = d.jsonString(); !ok {
			return v, parts, nil, false
		}
	}
	if !d.key("time", &first) {
		return v, parts, nil, false
	}
	if timeText, ok = d.str(); !ok || !exportTimeText(timeText) || !d.byte('}') || d.i != len(d.b) {
		return v, parts, nil, false
	}
	return v, parts, timeText, true
}

// key reads `"name":` where the record's next key starts: after the
// object's opening brace when first, else after a comma. A key that is
// not there reads nothing.
func (d *promptScanner) key(name string, first *bool) bool {
	i := d.i
	lead := byte(',')
	if *first {
		lead = '{'
	}
	end := i + len(name) + 4
	if end > len(d.b) || d.b[i] != lead || d.b[i+1] != '"' || string(d.b[i+2:end-2]) != name || d.b[end-2] != '"' || d.b[end-1] != ':' {
		return false
	}
	d.i, *first = end, false
	return true
}

// messagesInOrder reads a version's messages, each {"role":…,"content":…};
// in place, into the list the last version's were read into.
func (d *promptScanner) messagesInOrder() ([]Message, bool) {
	if !d.byte('[') {
		return nil, false
	}
	out := []Message{}
	if d.inPlace {
		out = d.msgs[:0]
		defer func() { d.msgs = out[:0] }()
	}
	if d.byte(']') {
		return out, true
	}
	for {
		var m Message
		var ok bool
		first := true
		if !d.key("role", &first) {
			return nil, false
		}
		if m.Role, ok = d.jsonString(); !ok || !d.key("content", &first) {
			return nil, false
		}
		if m.Content, ok = d.jsonString(); !ok || !d.byte('}') {
			return nil, false
		}
		out = append(out, m)
		if d.byte(']') {
			return out, true
		}
		if !d.byte(',') {
			return nil, false
		}
	}
}

// configInOrder reads a model config without a response format.
func (d *promptScanner) configInOrder() (c ModelConfig, ok bool) {
	if d.peek() == '{' && d.i+1 < len(d.b) && d.b[d.i+1] == '}' {
		d.i += 2
		return c, true
	}
	first := true
	if d.key("model", &first) {
		if c.Model, ok = d.jsonString(); !ok {
			return c, false
		}
	}
	if d.key("temperature", &first) {
		f, ok := d.float()
		if !ok {
			return c, false
		}
		c.Temperature = &f
	}
	if d.key("top_p", &first) {
		f, ok := d.float()
		if !ok {
			return c, false
		}
		c.TopP = &f
	}
	if d.key("max_tokens", &first) {
		if c.MaxTokens, ok = d.int(); !ok {
			return c, false
		}
	}
	if d.key("stop", &first) {
		if c.Stop, ok = d.jsonStrings(); !ok {
			return c, false
		}
	}
	if d.key("seed", &first) {
		n, ok := d.int()
		if !ok {
			return c, false
		}
		seed := int64(n)
		c.Seed = &seed
	}
	return c, !first && d.byte('}')
}
