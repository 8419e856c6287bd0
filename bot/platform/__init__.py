"""The platform every part runs on: settings, Redis keys, logs, metrics, counters, rate
limits, the gateway's health route, outage answers and services dependency, and one
machine's processes under supervisord with the embedded Valkey. Imports privacy's cipher
and contact keys; its gateway pieces read the services the gateway builds."""
