package llmtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// The JSON shapes of the Gemini API (v1beta, Gemini Developer API) as the genai SDK sends and parses
// them. Request side: models.go generateContentParametersToMldev / generateContentConfigToMldev.
// Response side: generateContentResponseFromMldev / candidateFromMldev, and api_client.go newAPIError
// and iterateResponseStream.

type wireRequest struct {
	Contents          []wireContent     `json:"contents"`
	SystemInstruction *wireContent      `json:"systemInstruction,omitempty"`
	GenerationConfig  json.RawMessage   `json:"generationConfig,omitempty"`
	SafetySettings    []json.RawMessage `json:"safetySettings,omitempty"`
}

type wireContent struct {
	Role  string     `json:"role,omitempty"`
	Parts []wirePart `json:"parts"`
}

type wirePart struct {
	Text    string `json:"text"`
	Thought bool   `json:"thought,omitempty"`
}

type wireResponse struct {
	Candidates     []wireCandidate     `json:"candidates,omitempty"`
	PromptFeedback *wirePromptFeedback `json:"promptFeedback,omitempty"`
	UsageMetadata  *wireUsage          `json:"usageMetadata,omitempty"`
	ModelVersion   string              `json:"modelVersion,omitempty"`
	ResponseID     string              `json:"responseId,omitempty"`
}

type wireCandidate struct {
	Content       *wireContent   `json:"content,omitempty"`
	FinishReason  string         `json:"finishReason,omitempty"`
	Index         int            `json:"index"`
	SafetyRatings []SafetyRating `json:"safetyRatings,omitempty"`
}

type wirePromptFeedback struct {
	BlockReason   string         `json:"blockReason,omitempty"`
	SafetyRatings []SafetyRating `json:"safetyRatings,omitempty"`
}

type wireUsage struct {
	PromptTokenCount     int                  `json:"promptTokenCount,omitempty"`
	CandidatesTokenCount int                  `json:"candidatesTokenCount,omitempty"`
	TotalTokenCount      int                  `json:"totalTokenCount,omitempty"`
	ThoughtsTokenCount   int                  `json:"thoughtsTokenCount,omitempty"`
	PromptTokensDetails  []wireModalityTokens `json:"promptTokensDetails,omitempty"`
}

type wireModalityTokens struct {
	Modality   string `json:"modality"`
	TokenCount int    `json:"tokenCount"`
}

type wireError struct {
	Error wireErrorBody `json:"error"`
}

type wireErrorBody struct {
	Code    int              `json:"code"`
	Message string           `json:"message"`
	Status  string           `json:"status"`
	Details []map[string]any `json:"details,omitempty"`
}

// canonicalStatus maps an HTTP status to the google.rpc.Code name Google puts in error.status.
func canonicalStatus(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "INVALID_ARGUMENT"
	case http.StatusUnauthorized:
		return "UNAUTHENTICATED"
	case http.StatusForbidden:
		return "PERMISSION_DENIED"
	case http.StatusNotFound:
		return "NOT_FOUND"
	case http.StatusConflict:
		return "ABORTED"
	case http.StatusTooManyRequests:
		return "RESOURCE_EXHAUSTED"
	case 499:
		return "CANCELLED"
	case http.StatusNotImplemented:
		return "UNIMPLEMENTED"
	case http.StatusServiceUnavailable:
		return "UNAVAILABLE"
	case http.StatusGatewayTimeout, http.StatusRequestTimeout:
		return "DEADLINE_EXCEEDED"
	default:
		if code >= 500 {
			return "INTERNAL"
		}
		return "FAILED_PRECONDITION"
	}
}

// defaultMessage is the message the Gemini API usually sends with a status.
func defaultMessage(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "Request contains an invalid argument."
	case http.StatusForbidden:
		return "The caller does not have permission"
	case http.StatusNotFound:
		return "Requested entity was not found."
	case http.StatusTooManyRequests:
		return "You exceeded your current quota, please check your plan and billing details."
	case http.StatusServiceUnavailable:
		return "The model is overloaded. Please try again later."
	case http.StatusGatewayTimeout:
		return "Deadline expired before operation could complete."
	case http.StatusInternalServerError:
		return "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"
	default:
		return http.StatusText(code)
	}
}

func errorBody(code int, status, message string, retryDelay time.Duration) wireError {
	if status == "" {
		status = canonicalStatus(code)
	}
	if message == "" {
		message = defaultMessage(code)
	}
	e := wireError{Error: wireErrorBody{Code: code, Message: message, Status: status}}
	if retryDelay > 0 {
		e.Error.Details = []map[string]any{{
			"@type":      "type.googleapis.com/google.rpc.RetryInfo",
			"retryDelay": strconv.FormatFloat(retryDelay.Seconds(), 'f', -1, 64) + "s",
		}}
	}
	return e
}
