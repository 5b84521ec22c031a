"""Entry points: the command line (and later HTTP and metrics). They decode input into commands
for the service layer and print or return what it answers."""
