package agents

import (
	"embed"
	"fmt"
	"strings"
)

// Prompts are versioned files: prompts/<name>_<version>.txt. Changing a prompt's meaning means a
// new version file and a new entry here, so replies record which prompt produced them.

//go:embed prompts/*.txt
var promptFiles embed.FS

// promptVersions is the version each agent uses.
var promptVersions = map[string]string{
	"base": "v1", "mentor": "v1", "librarian": "v1", "smalltalk": "v1", "onboarding": "v1",
	"plans": "v1", "project": "v1", "outreach": "v1",
}

// prompts holds every prompt file's text by id ("mentor_v1"), read once.
var prompts = func() map[string]string {
	m := map[string]string{}
	for name, v := range promptVersions {
		id := name + "_" + v
		b, err := promptFiles.ReadFile("prompts/" + id + ".txt")
		if err != nil {
			panic(fmt.Sprintf("agents: prompt %s is not embedded: %v", id, err))
		}
		m[id] = strings.TrimSpace(string(b))
	}
	return m
}()

// promptID is the id of an agent's current prompt ("mentor_v1").
func promptID(agent string) string { return agent + "_" + promptVersions[agent] }
