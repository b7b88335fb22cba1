package workspace

import (
	"slices"
	"strconv"
	"strings"
)

// promptSummaries compares each prompt record with its versions, checks
// its labels and the includes of its latest and labelled versions.
func (c *checker) promptSummaries() error {
	for _, pc := range c.sortedPrompts() {
		switch {
		case !pc.hasRec && len(pc.numbers) > 0:
			p := Problem{Kind: ProblemPromptMissing, Prompt: pc.name, Got: strconv.Itoa(len(pc.numbers)), Repairable: true}
			p.fix = fixMissingPrompt(pc.name, pc.indexTags, pc.auditLabels)
			c.add(p)
			continue
		case !pc.readable:
			continue
		case len(pc.numbers) == 0:
			c.add(Problem{Kind: ProblemPromptNoVersions, Prompt: pc.name})
			continue
		}
		c.checkRecord(pc)
		c.checkLabels(pc)
		if err := c.checkIncludes(pc); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) checkRecord(pc *promptCheck) {
	name, rec, top := pc.name, pc.rec, pc.top
	last := pc.numbers[len(pc.numbers)-1]
	for want, i := 1, 0; want <= last; want++ {
		if i < len(pc.numbers) && pc.numbers[i] == want {
			i++
			continue
		}
		c.add(Problem{Kind: ProblemVersionMissing, Prompt: name, Version: want, Want: strconv.Itoa(last)})
	}
	field := func(f, want, got string) {
		if want != got {
			c.add(Problem{Kind: ProblemPromptField, Prompt: name, Field: f, Want: want, Got: got, Repairable: true, fix: fixPromptRecord(name)})
		}
	}
	field("name", name, rec.Name)
	field("latest", strconv.Itoa(last), strconv.Itoa(rec.Latest))
	if top.Number == last {
		// An unreadable latest version says nothing about them.
		field("latest_hash", top.Hash, rec.LatestHash)
		field("model", top.Config.Model, rec.Model)
	}
	field("tags", strings.Join(normalTags(rec.Tags), " "), strings.Join(rec.Tags, " "))
}

// normalTags is tags sorted, without duplicates or empty ones.
func normalTags(tags []string) []string {
	out := slices.DeleteFunc(slices.Clone(tags), func(t string) bool { return t == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

func (c *checker) checkLabels(pc *promptCheck) {
	labels := make([]string, 0, len(pc.rec.Labels))
	for l := range pc.rec.Labels {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	for _, l := range labels {
		c.counts.Labels++
		n := pc.rec.Labels[l]
		if _, ok := slices.BinarySearch(pc.numbers, n); !ok {
			c.add(Problem{Kind: ProblemLabelDangling, Prompt: pc.name, Label: l, Version: n})
		}
	}
}

// checkIncludes resolves the includes of the latest version and of every
// labelled one: the versions renders and runs use.
func (c *checker) checkIncludes(pc *promptCheck) error {
	if len(pc.include) == 0 {
		return nil
	}
	use := map[int][]string{pc.numbers[len(pc.numbers)-1]: nil}
	for l, n := range pc.rec.Labels {
		use[n] = append(use[n], l)
	}
	numbers := make([]int, 0, len(use))
	for n := range use {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	for _, n := range numbers {
		partials := pc.include[n]
		if len(partials) == 0 {
			continue
		}
		c.counts.Includes += len(partials)
		if err := checkIncludes(c.tx, pc.name, partials, false); err != nil {
			labels := use[n]
			slices.Sort(labels)
			c.add(Problem{Kind: ProblemIncludeBroken, Prompt: pc.name, Version: n, Label: strings.Join(labels, ","), Detail: err.Error()})
		}
	}
	return nil
}
