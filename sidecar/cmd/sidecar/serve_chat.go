package main

// chatWorkers builds the chat background workers and registers the chat HTTP routes.
func chatWorkers(svc *services, fail func(error)) ([]worker, error) {
	return nil, nil
}
