package exportfile

import (
	"strconv"

	"promptbench/workspace/exportyaml"
)

func (n *fnode) scalar() (string, bool) {
	if n == nil || n.kind != 's' || n.plain && !exportyaml.PlainSafe(n.str) {
		return "", false
	}
	return n.str, true
}

func (n *fnode) integer() (int64, bool) {
	if n == nil || n.kind != 's' || !n.plain {
		return 0, false
	}
	i, err := strconv.ParseInt(n.str, 10, 64)
	return i, err == nil && len(n.str) < 16
}

func (n *fnode) float() (float64, bool) {
	if n == nil || n.kind != 's' || !n.plain || !isFastNumber(n.str) || len(n.str) > 20 {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.str, 64)
	return f, err == nil
}

func (n *fnode) strings() ([]string, bool) {
	if n == nil || n.kind != 'l' {
		return nil, false
	}
	out := make([]string, len(n.items))
	for i, it := range n.items {
		s, ok := it.scalar()
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// toExportPrompt maps the tree onto Prompt as go-yaml would, refusing
// what go-yaml would refuse or read differently.
func toExportPrompt(n *fnode) (fp Prompt, ok bool) {
	if n.kind != 'm' {
		return fp, false
	}
	for i, k := range n.keys {
		v := n.vals[i]
		switch k {
		case "name":
			fp.Name, ok = v.scalar()
		case "description":
			fp.Description, ok = v.scalar()
		case "created":
			fp.Created, ok = v.scalar()
		case "tags":
			fp.Tags, ok = v.strings()
		case "labels":
			fp.Labels, ok = toLabels(v)
		case "versions":
			ok = v.kind == 'l'
			fp.Versions = make([]Version, 0, len(v.items))
			for j := 0; ok && j < len(v.items); j++ {
				var fv Version
				fv, ok = toVersion(v.items[j])
				fp.Versions = append(fp.Versions, fv)
			}
		default:
			ok = false
		}
		if !ok {
			return fp, false
		}
	}
	return fp, true
}

func toLabels(n *fnode) (map[string]Label, bool) {
	if n.kind != 'm' {
		return nil, false
	}
	out := make(map[string]Label, len(n.keys))
	for i, name := range n.keys {
		v := n.vals[i]
		if v.kind != 'm' {
			return nil, false
		}
		var fl Label
		for j, k := range v.keys {
			ok := false
			switch k {
			case "version":
				var x int64
				x, ok = v.vals[j].integer()
				fl.Version = int(x)
			case "history":
				h := v.vals[j]
				ok = h.kind == 'l'
				for m := 0; ok && m < len(h.items); m++ {
					var mv Move
					mv, ok = toMove(h.items[m])
					fl.History = append(fl.History, mv)
				}
			}
			if !ok {
				return nil, false
			}
		}
		out[name] = fl
	}
	return out, true
}

func toMove(n *fnode) (mv Move, ok bool) {
	if n.kind != 'm' {
		return mv, false
	}
	for i, k := range n.keys {
		switch k {
		case "version":
			var x int64
			x, ok = n.vals[i].integer()
			mv.Version = int(x)
		case "author":
			mv.Author, ok = n.vals[i].scalar()
		case "time":
			mv.Time, ok = n.vals[i].scalar()
		default:
			ok = false
		}
		if !ok {
			return mv, false
		}
	}
	return mv, true
}

func toVersion(n *fnode) (fv Version, ok bool) {
	if n.kind != 'm' {
		return fv, false
	}
	for i, k := range n.keys {
		v := n.vals[i]
		var x int64
		switch k {
		case "number":
			x, ok = v.integer()
			fv.Number = int(x)
		case "parent":
			x, ok = v.integer()
			fv.Parent = int(x)
		case "hash":
			fv.Hash, ok = v.scalar()
		case "author":
			fv.Author, ok = v.scalar()
		case "time":
			fv.Time, ok = v.scalar()
		case "message":
			fv.Message, ok = v.scalar()
		case "scorers":
			fv.Scorers, ok = v.strings()
		case "messages":
			ok = v.kind == 'l'
			fv.Messages = make([]Message, 0, len(v.items))
			for j := 0; ok && j < len(v.items); j++ {
				var m Message
				m, ok = toMessage(v.items[j])
				fv.Messages = append(fv.Messages, m)
			}
		default:
			ok = toModelField(&fv.ModelConfigYAML, k, v)
		}
		if !ok {
			return fv, false
		}
	}
	return fv, true
}

// toModelField maps one field of the model-config block (ModelConfigYAML)
// by name; false for a field it does not know, and for response_format,
// which go-yaml reads.
func toModelField(c *ModelConfigYAML, key string, v *fnode) (ok bool) {
	var x int64
	var f float64
	switch key {
	case "model":
		c.Model, ok = v.scalar()
	case "temperature":
		f, ok = v.float()
		c.Temperature = &f
	case "top_p":
		f, ok = v.float()
		c.TopP = &f
	case "max_tokens":
		x, ok = v.integer()
		c.MaxTokens = int(x)
	case "stop":
		c.Stop, ok = v.strings()
	case "seed":
		x, ok = v.integer()
		c.Seed = &x
	}
	return ok
}

func toMessage(n *fnode) (m Message, ok bool) {
	if n.kind != 'm' {
		return m, false
	}
	for i, k := range n.keys {
		switch k {
		case "role":
			m.Role, ok = n.vals[i].scalar()
		case "content":
			m.Content, ok = n.vals[i].scalar()
		default:
			ok = false
		}
		if !ok {
			return m, false
		}
	}
	return m, true
}
