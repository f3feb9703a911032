// Placeholder so the packaging can publish the agent; the real program (run, check-config) replaces this file.
return 0;
