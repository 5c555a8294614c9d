"""Constants shared by the integration tests: the demo account's entry and entities."""

ENTRY_ID = "01JXUCTESTENTRY000000000000"

# Alice Johnson, the simulator's demo user.
PHONE = "sensor.alice_johnson_phone_status"
VOICEMAIL = "sensor.alice_johnson_new_voicemails"
OLD_VOICEMAIL = "sensor.alice_johnson_old_voicemails"
AGENT = "sensor.alice_johnson_agent_state"
PAUSE_REASON = "sensor.alice_johnson_agent_pause_reason"
CONNECTED = "binary_sensor.alice_johnson_connected"
CALL = "event.alice_johnson_call"
PRESENCE = "select.alice_johnson_presence"
DND = "switch.alice_johnson_do_not_disturb"
FORWARD_ALL = "switch.alice_johnson_forward_all_calls"
FORWARD_ALL_TO = "text.alice_johnson_forward_all_calls_to"
FORWARD_BUSY = "switch.alice_johnson_forward_when_busy"
FORWARD_BUSY_TO = "text.alice_johnson_forward_when_busy_to"

# Blue Sky, one of her queues.
QUEUE_ID = 3
BLUE_WAITING = "sensor.blue_sky_waiting_calls"
BLUE_LONGEST = "sensor.blue_sky_longest_wait_time"
BLUE_ABANDONED = "sensor.blue_sky_calls_abandoned"
BLUE_LOGGED_AGENTS = "sensor.blue_sky_logged_in_agents"
BLUE_EWT = "sensor.blue_sky_estimated_wait_time"
BLUE_ANSWERED_SHARE = "sensor.blue_sky_share_of_calls_answered"
