#!/usr/bin/env bash
# Starts a local RabbitMQ broker for the bus tests unless one already answers on 127.0.0.1:5672.
# Needs Debian's rabbitmq-server (.ci/run installs it). Idempotent.
set -euo pipefail
answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
if answers; then
  echo "rabbitmq: a broker answers on 127.0.0.1:5672"
  exit 0
fi
command -v rabbitmq-server >/dev/null || { echo "start-rabbitmq: rabbitmq-server is not installed (apt-get install rabbitmq-server)" >&2; exit 1; }
# Loopback only: AMQP, the Erlang distribution port and epmd (by default all three listen on every interface).
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
rabbitmq-server -detached >/dev/null 2>&1 || true
for _ in $(seq 1 120); do
  if answers && rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1; then
    echo "rabbitmq: started on 127.0.0.1:5672"
    exit 0
  fi
  sleep 1
done
echo "start-rabbitmq: the broker did not start within 120 s; see /var/log/rabbitmq/" >&2
exit 1
