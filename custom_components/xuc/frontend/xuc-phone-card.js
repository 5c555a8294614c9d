/*
 * XiVO XuC phone card: the line, the current call, voicemail, availability and
 * the agent of one XuC user, with the actions to answer, hold, hang up and dial.
 * A plain web component (no build step), served and loaded by the integration.
 */

const DOMAIN = "xuc";
const CARD = "xuc-phone-card";
const EDITOR = "xuc-phone-card-editor";
const VERSION = new URL(import.meta.url).searchParams.get("v") || "dev";

// XuC's own colours of a line status (Cti.PhoneStatusColors in cti.js).
const STATUS_COLORS = {
  available: "#01DF01",
  calling: "#FF8000",
  busy: "#81BEF7",
  unavailable: "#F2F2F2",
  ringing: "#2E2EFE",
  busy_and_ringing: "#CC2EFA",
  on_hold: "#F7FE2E",
  deactivated: "#F2F2F2",
  unexisting: "#F2F2F2",
  error: "#F2F2F2",
};
const CALL_EVENTS = new Set(["ringing", "dialing", "answered", "on_hold"]);
const IDLE_LINE = new Set(["available", "unavailable", "deactivated", "unexisting", "error"]);
// Presence statuses that are not a reason to pause.
const NOT_PAUSE_REASONS = new Set(["available", "disconnected"]);
// How far back the history is read for the start of a call.
const HISTORY_HOURS = 12;
// The first event of a call tells its direction.
const DIRECTIONS = { ringing: "incoming", dialing: "outgoing" };
const DIAL_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];
const OPTIONS = ["show_dialpad", "show_agent", "show_queues"];

const STRINGS = {
  en: {
    card_name: "XiVO XuC phone",
    card_description: "The line, the current call, voicemail and agent of a XiVO XuC user.",
    no_user: "Choose a XiVO XuC user in the card's settings.",
    unknown_user: "This entity does not belong to a XiVO XuC user.",
    disconnected: "Disconnected from XiVO",
    line: "Line",
    voicemail: "{count} new voicemail messages",
    incoming: "Incoming call",
    outgoing: "Outgoing call",
    call: "Call",
    on_hold: "On hold",
    answer: "Answer",
    hold: "Hold",
    resume: "Resume",
    hangup: "Hang up",
    dnd: "Do not disturb",
    presence: "Presence",
    agent: "Agent",
    pause_reason: "Pause reason",
    no_reason: "No reason",
    pause: "Pause",
    ready: "Ready",
    queues: "Queues",
    waiting: "{count} waiting",
    longest: "longest {time}",
    number: "Number to call",
    dial: "Call",
    delete: "Delete the last digit",
    key: "Key {key}",
    user: "XiVO XuC user",
    show_dialpad: "Show the dial pad",
    show_agent: "Show the agent",
    show_queues: "Show the queues",
  },
  fr: {
    card_name: "Téléphone XiVO XuC",
    card_description: "La ligne, l'appel en cours, la messagerie et l'agent d'un utilisateur XiVO XuC.",
    no_user: "Choisissez un utilisateur XiVO XuC dans les réglages de la carte.",
    unknown_user: "Cette entité n'appartient pas à un utilisateur XiVO XuC.",
    disconnected: "Déconnecté de XiVO",
    line: "Ligne",
    voicemail: "{count} nouveaux messages vocaux",
    incoming: "Appel entrant",
    outgoing: "Appel sortant",
    call: "Appel",
    on_hold: "En attente",
    answer: "Répondre",
    hold: "Mettre en attente",
    resume: "Reprendre",
    hangup: "Raccrocher",
    dnd: "Ne pas déranger",
    presence: "Présence",
    agent: "Agent",
    pause_reason: "Motif de pause",
    no_reason: "Sans motif",
    pause: "Pause",
    ready: "Prêt",
    queues: "Files d'attente",
    waiting: "{count} en attente",
    longest: "plus longue {time}",
    number: "Numéro à appeler",
    dial: "Appeler",
    delete: "Effacer le dernier chiffre",
    key: "Touche {key}",
    user: "Utilisateur XiVO XuC",
    show_dialpad: "Afficher le clavier",
    show_agent: "Afficher l'agent",
    show_queues: "Afficher les files d'attente",
  },
};

// What the card learnt about each call while the page is open: its direction
// (only the first event tells it) and when it started or was answered.
const CALLS = new Map();

function language(hass) {
  const tag = (hass && ((hass.locale && hass.locale.language) || hass.language)) || "en";
  const base = tag.split("-")[0];
  return STRINGS[base] ? base : "en";
}

function translate(hass, key, values = {}) {
  const text = STRINGS[language(hass)][key] || STRINGS.en[key];
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function escape(text) {
  return String(text ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hours ? 2 : 1, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The XuC users: devices with a phone status sensor of this integration. */
function xucUsers(hass) {
  const users = [];
  for (const entry of Object.values(hass.entities || {})) {
    if (entry.platform === DOMAIN && entry.translation_key === "phone_status" && entry.device_id) {
      const device = (hass.devices || {})[entry.device_id];
      users.push({ deviceId: entry.device_id, entityId: entry.entity_id, name: deviceName(device) });
    }
  }
  return users.sort((a, b) => a.name.localeCompare(b.name));
}

function deviceName(device) {
  return (device && (device.name_by_user || device.name)) || "";
}

function deviceOf(hass, config) {
  if (config.device_id) return config.device_id;
  const entry = config.entity && (hass.entities || {})[config.entity];
  return entry ? entry.device_id : undefined;
}

/** The entities of one device of this integration, by translation key. */
function entitiesOf(hass, deviceId) {
  const found = {};
  for (const entry of Object.values(hass.entities || {})) {
    if (entry.platform === DOMAIN && entry.device_id === deviceId && entry.translation_key) {
      found[entry.translation_key] = entry.entity_id;
    }
  }
  return found;
}

/** The queues under the user's device: name, waiting calls, longest wait. */
function queuesOf(hass, deviceId) {
  const queues = [];
  for (const device of Object.values(hass.devices || {})) {
    if (device.via_device_id !== deviceId) continue;
    const entities = entitiesOf(hass, device.id);
    if (entities.waiting_calls) {
      queues.push({ name: deviceName(device), ...entities });
    }
  }
  return queues.sort((a, b) => a.name.localeCompare(b.name));
}

/** The config entry (XuC account) that the actions must aim at. */
function configEntryOf(hass, deviceId) {
  const device = (hass.devices || {})[deviceId] || {};
  return device.config_entry_id || device.primary_config_entry || (device.config_entries || [])[0];
}

/** The call the event entity last reported, unless it ended. */
function currentCall(event, line) {
  if (!event) return null;
  if (!CALL_EVENTS.has(event.attributes.event_type) || IDLE_LINE.has(line)) {
    CALLS.delete(event.attributes.unique_id || "");
    return null;
  }
  const attrs = event.attributes;
  const type = attrs.event_type;
  const at = Date.parse(event.state) || Date.now();
  const id = attrs.unique_id || "";
  let known = CALLS.get(id);
  if (!known) {
    known = { direction: DIRECTIONS[type], since: at, answered: false };
    CALLS.set(id, known);
  }
  if (type === "answered" && !known.answered) {
    known.answered = true;
    known.since = at;
  }
  return {
    id,
    type,
    number: attrs.other_number || "",
    name: attrs.other_name || "",
    direction: known.direction,
    since: known.since,
    held: type === "on_hold" || line === "on_hold",
  };
}

class XucPhoneCard extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._config = {};
    this._hass = undefined;
    this._shown = undefined;
    this._timer = undefined;
    this._reason = "";
  }

  static getConfigElement() {
    return document.createElement(EDITOR);
  }

  static getStubConfig(hass) {
    const user = xucUsers(hass)[0];
    return { entity: user ? user.entityId : "" };
  }

  setConfig(config) {
    if (!config || typeof config !== "object") {
      throw new Error("Invalid configuration");
    }
    this._config = { show_dialpad: true, show_agent: true, show_queues: true, ...config };
    this._shown = undefined;
    this._registryCache = undefined;
    this._build();
    this._update();
  }

  set hass(hass) {
    this._hass = hass;
    this._update();
  }

  getCardSize() {
    return this._config.show_dialpad ? 9 : 5;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }

  connectedCallback() {
    this._timer = window.setInterval(() => this._tick(), 1000);
  }

  disconnectedCallback() {
    window.clearInterval(this._timer);
    this._stopLearning();
  }

  _t(key, values) {
    return translate(this._hass, key, values);
  }

  /** The parts that stay: the frame, the dial pad (its field keeps what is typed). */
  _build() {
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>
      <ha-card><div class="main"></div><div class="dialpad" hidden></div></ha-card>`;
    this._main = this.shadowRoot.querySelector(".main");
    this._dialpad = this.shadowRoot.querySelector(".dialpad");
    this._main.addEventListener("click", (ev) => this._onClick(ev));
    this._main.addEventListener("change", (ev) => this._onChange(ev));
    this._dialpad.addEventListener("click", (ev) => this._onDialpadClick(ev));
  }

  _buildDialpad() {
    const t = (key, values) => this._t(key, values);
    this._dialpad.innerHTML = `
      <div class="number">
        <input type="tel" inputmode="tel" autocomplete="off" name="number"
          aria-label="${escape(t("number"))}" placeholder="${escape(t("number"))}">
        <button class="icon" data-action="backspace" aria-label="${escape(t("delete"))}"
          title="${escape(t("delete"))}"><ha-icon icon="mdi:backspace-outline"></ha-icon></button>
      </div>
      <div class="keys">${DIAL_KEYS.map(
        (key) =>
          `<button class="key" data-key="${key}" aria-label="${escape(t("key", { key }))}">${key}</button>`,
      ).join("")}</div>
      <button class="primary wide" data-action="dial" aria-label="${escape(t("dial"))}">
        <ha-icon icon="mdi:phone"></ha-icon><span>${escape(t("dial"))}</span></button>
      <div class="error" role="alert" hidden></div>`;
    this._dialpad.dataset.lang = language(this._hass);
    const input = this._dialpad.querySelector("input");
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") this._dial();
    });
    input.addEventListener("input", () => this._showDialError(""));
  }

  _onDialpadClick(ev) {
    const button = ev.target.closest("button");
    const input = this._dialpad.querySelector("input");
    if (!button || !input) return;
    if (button.dataset.key) {
      input.value += button.dataset.key;
      this._showDialError("");
    } else if (button.dataset.action === "backspace") {
      input.value = input.value.slice(0, -1);
    } else if (button.dataset.action === "dial") {
      this._dial();
    }
  }

  /** Everything the card shows, to render again only when it changes. */
  _snapshot() {
    const hass = this._hass;
    const { deviceId, entities, queues } = this._registry();
    const ids = [...Object.values(entities), ...queues.flatMap((q) => [q.waiting_calls, q.longest_wait_time])];
    return {
      deviceId,
      entities,
      queues,
      device: deviceId && (hass.devices || {})[deviceId],
      states: ids.map((id) => hass.states[id]),
      lang: language(hass),
      // New functions once more translations (the entities' states) are loaded.
      localize: hass.localize,
      formatEntityState: hass.formatEntityState,
    };
  }

  /** The user's device, entities and queues; looked up again when the registries change. */
  _registry() {
    const hass = this._hass;
    const cache = this._registryCache;
    if (cache && cache.entities === hass.entities && cache.devices === hass.devices) {
      return cache.found;
    }
    const deviceId = deviceOf(hass, this._config);
    const found = {
      deviceId,
      entities: deviceId ? entitiesOf(hass, deviceId) : {},
      queues: this._config.show_queues && deviceId ? queuesOf(hass, deviceId) : [],
    };
    this._registryCache = { entities: hass.entities, devices: hass.devices, found };
    return found;
  }

  _changed(next) {
    const shown = this._shown;
    return (
      !shown ||
      shown.deviceId !== next.deviceId ||
      shown.device !== next.device ||
      shown.lang !== next.lang ||
      shown.localize !== next.localize ||
      shown.formatEntityState !== next.formatEntityState ||
      shown.states.length !== next.states.length ||
      shown.states.some((state, index) => state !== next.states[index])
    );
  }

  _update() {
    if (!this._hass || !this._main) return;
    const next = this._snapshot();
    if (!this._changed(next)) return;
    this._shown = next;
    this._render(next);
  }

  _state(key) {
    const id = this._shown.entities[key];
    return id ? this._hass.states[id] : undefined;
  }

  _format(stateObj, value) {
    if (!stateObj) return "";
    if (this._hass.formatEntityState) {
      return this._hass.formatEntityState(stateObj, value);
    }
    return value ?? stateObj.state;
  }

  _render(shown) {
    const t = (key, values) => this._t(key, values);
    const hass = this._hass;
    const dialpadWanted = this._config.show_dialpad && shown.entities.phone_status;
    this._dialpad.hidden = !dialpadWanted;
    if (dialpadWanted && this._dialpad.dataset.lang !== shown.lang) {
      this._buildDialpad();
    }
    if (!shown.deviceId || !shown.entities.phone_status) {
      const message = this._config.entity || this._config.device_id ? t("unknown_user") : t("no_user");
      this._main.innerHTML = `<div class="empty">${escape(message)}</div>`;
      return;
    }
    const connectedState = this._state("connected");
    const connected = !connectedState || connectedState.state === "on";
    const phone = this._state("phone_status");
    const line = connected && phone ? phone.state : "unavailable";
    const event = this._state("call");
    this._call = connected ? currentCall(event, line) : null;
    if (this._learning && (!this._call || this._call.id !== this._learning)) {
      this._stopLearning();
    }
    if (this._call && !this._call.direction) this._learnCall(this._call.id);
    const voicemail = this._state("voicemail_new_messages");
    const newMessages = voicemail ? Number.parseInt(voicemail.state, 10) : NaN;
    const parts = [];

    parts.push(`<div class="header">
      <div class="user">${escape(deviceName(shown.device))}</div>
      ${
        Number.isFinite(newMessages)
          ? `<div class="badge ${newMessages > 0 ? "new" : ""}" data-part="voicemail"
              aria-label="${escape(t("voicemail", { count: newMessages }))}"
              title="${escape(t("voicemail", { count: newMessages }))}">
              <ha-icon icon="mdi:voicemail"></ha-icon><span>${newMessages}</span></div>`
          : ""
      }</div>`);

    if (!connected) {
      parts.push(`<div class="disconnected" role="alert" data-part="disconnected">
        <ha-icon icon="mdi:lan-disconnect"></ha-icon><span>${escape(t("disconnected"))}</span></div>`);
    } else {
      const color = STATUS_COLORS[line] || "var(--disabled-text-color)";
      parts.push(`<div class="line" data-part="line" data-state="${escape(line)}">
        <span class="dot" style="background:${color}"></span>
        <span class="label">${escape(t("line"))}</span>
        <span class="value">${escape(this._format(phone))}</span></div>`);
    }

    parts.push(this._renderCall(connected));
    if (connected) parts.push(this._renderAvailability());
    if (connected && this._config.show_agent) parts.push(this._renderAgent());
    if (connected && shown.queues.length) parts.push(this._renderQueues(shown.queues));
    this._main.innerHTML = parts.join("");
    this._tick();

    for (const button of this.shadowRoot.querySelectorAll(".dialpad button, .dialpad input")) {
      button.disabled = !connected;
    }
    if (hass.loadBackendTranslation && this._translations !== shown.lang) {
      this._translations = shown.lang;
      hass.loadBackendTranslation("entity", DOMAIN);
      hass.loadBackendTranslation("exceptions", DOMAIN);
    }
  }

  _renderCall(connected) {
    const t = (key, values) => this._t(key, values);
    const call = this._call;
    const button = (action, icon, label, enabled, cls = "") =>
      `<button class="${cls}" data-action="${action}" aria-label="${escape(label)}" title="${escape(label)}"
        ${enabled ? "" : "disabled"}><ha-icon icon="${icon}"></ha-icon><span>${escape(label)}</span></button>`;
    const info = call
      ? `<div class="call-info" data-part="call" data-call="${escape(call.type)}">
          <ha-icon icon="${call.direction === "outgoing" ? "mdi:phone-outgoing" : call.direction === "incoming" ? "mdi:phone-incoming" : "mdi:phone"}"></ha-icon>
          <div class="who">
            <div class="direction">${escape(t(call.direction || "call"))}${
              call.held ? ` · <span class="held">${escape(t("on_hold"))}</span>` : ""
            }</div>
            ${call.name ? `<div class="caller">${escape(call.name)}</div>` : ""}
            <div class="caller-number">${escape(call.number)}</div>
          </div>
          <div class="duration" data-part="duration"></div>
        </div>`
      : "";
    const ringing = Boolean(call && call.type === "ringing");
    const talking = Boolean(call && (call.type === "answered" || call.type === "on_hold"));
    return `<div class="call">${info}<div class="actions">
      ${button("answer", "mdi:phone", t("answer"), connected && ringing, "answer")}
      ${button("hold", call && call.held ? "mdi:play" : "mdi:pause", call && call.held ? t("resume") : t("hold"), connected && talking)}
      ${button("hangup", "mdi:phone-hangup", t("hangup"), connected && Boolean(call), "hangup")}
    </div></div>`;
  }

  _renderAvailability() {
    const t = (key, values) => this._t(key, values);
    const parts = [];
    const dnd = this._state("dnd");
    if (dnd) {
      const on = dnd.state === "on";
      parts.push(`<button class="toggle ${on ? "on" : ""}" data-action="dnd" aria-pressed="${on}"
        aria-label="${escape(t("dnd"))}" title="${escape(t("dnd"))}" ${dnd.state === "unavailable" ? "disabled" : ""}>
        <ha-icon icon="${on ? "mdi:minus-circle" : "mdi:minus-circle-outline"}"></ha-icon><span>${escape(t("dnd"))}</span></button>`);
    }
    const presence = this._state("presence");
    if (presence) {
      const options = presence.attributes.options || [];
      parts.push(`<label class="field"><span>${escape(t("presence"))}</span>
        <select data-action="presence" aria-label="${escape(t("presence"))}" ${options.length ? "" : "disabled"}>
        ${options.includes(presence.state) ? "" : `<option value="" selected></option>`}
        ${options
          .map(
            (option) =>
              `<option value="${escape(option)}" ${option === presence.state ? "selected" : ""}>${escape(
                this._format(presence, option),
              )}</option>`,
          )
          .join("")}</select></label>`);
    }
    return `<div class="availability">${parts.join("")}</div>`;
  }

  _renderAgent() {
    const t = (key, values) => this._t(key, values);
    const agent = this._state("agent_state");
    if (!agent) return "";
    const reason = this._state("agent_pause_reason");
    const paused = agent.state === "paused";
    const canPause = !["paused", "logged_out", "unavailable", "unknown"].includes(agent.state);
    const presence = this._state("presence");
    const reasons = ((presence && presence.attributes.options) || []).filter((o) => !NOT_PAUSE_REASONS.has(o));
    if (!reasons.includes(this._reason)) this._reason = "";
    const reasonText = paused && reason && !["unknown", "unavailable"].includes(reason.state) ? reason.state : "";
    return `<div class="agent" data-part="agent" data-state="${escape(agent.state)}">
      <div class="agent-state"><ha-icon icon="mdi:face-agent"></ha-icon>
        <span class="label">${escape(t("agent"))}</span>
        <span class="value">${escape(this._format(agent))}${reasonText ? ` · ${escape(reasonText)}` : ""}</span></div>
      <div class="actions">
        <select data-action="reason" aria-label="${escape(t("pause_reason"))}" ${canPause ? "" : "disabled"}>
          <option value="">${escape(t("no_reason"))}</option>
          ${reasons
            .map(
              (option) =>
                `<option value="${escape(option)}" ${option === this._reason ? "selected" : ""}>${escape(
                  presence ? this._format(presence, option) : option,
                )}</option>`,
            )
            .join("")}
        </select>
        <button data-action="pause" aria-label="${escape(t("pause"))}" title="${escape(t("pause"))}" ${canPause ? "" : "disabled"}>
          <ha-icon icon="mdi:coffee"></ha-icon><span>${escape(t("pause"))}</span></button>
        <button data-action="ready" aria-label="${escape(t("ready"))}" title="${escape(t("ready"))}" ${paused ? "" : "disabled"}>
          <ha-icon icon="mdi:account-check"></ha-icon><span>${escape(t("ready"))}</span></button>
      </div></div>`;
  }

  _renderQueues(queues) {
    const t = (key, values) => this._t(key, values);
    const rows = queues.map((queue) => {
      const waiting = this._hass.states[queue.waiting_calls];
      const longest = queue.longest_wait_time && this._hass.states[queue.longest_wait_time];
      const count = waiting ? waiting.state : "";
      const seconds = longest ? Number.parseFloat(longest.state) : NaN;
      return `<li><span class="queue-name">${escape(queue.name)}</span>
        <span>${escape(t("waiting", { count }))}${
          Number.isFinite(seconds) && seconds > 0 ? `, ${escape(t("longest", { time: duration(seconds) }))}` : ""
        }</span></li>`;
    });
    return `<div class="queues" data-part="queues"><div class="label">${escape(t("queues"))}</div><ul>${rows.join("")}</ul></div>`;
  }

  /**
   * Read how a call began in the call events' history: the page was opened
   * after the call's first event, the one that tells its direction. The
   * history stream also sends what the recorder has not written yet.
   */
  async _learnCall(id) {
    const hass = this._hass;
    const eventId = this._shown.entities.call;
    if (this._learning || !(hass.config.components || []).includes("history")) return;
    this._learning = id;
    const learnt = (message) => {
      const known = CALLS.get(id);
      for (const change of (message.states && message.states[eventId]) || []) {
        const attrs = change.a || {};
        if (!known || attrs.unique_id !== id) continue;
        const at = Date.parse(change.s);
        known.direction = known.direction || DIRECTIONS[attrs.event_type];
        if (attrs.event_type === "answered" && Number.isFinite(at)) {
          known.since = Math.min(known.since, at);
        }
      }
      return !known || Boolean(known.direction);
    };
    try {
      const unsubscribe = await hass.connection.subscribeMessage(
        (message) => {
          if (!learnt(message)) return;
          this._stopLearning();
          this._shown = undefined;
          this._update();
        },
        {
          type: "history/stream",
          start_time: new Date(Date.now() - HISTORY_HOURS * 3600 * 1000).toISOString(),
          entity_ids: [eventId],
          minimal_response: false,
          no_attributes: false,
          significant_changes_only: false,
        },
      );
      // Learnt, or the call ended, while subscribing: stop at once.
      if (this._learning === id) this._unlearn = unsubscribe;
      else unsubscribe();
    } catch (err) {
      // Without the history, the direction stays unknown.
      this._learning = undefined;
    }
  }

  _stopLearning() {
    if (this._unlearn) this._unlearn();
    this._unlearn = undefined;
    this._learning = undefined;
  }

  _tick() {
    const target = this.shadowRoot && this.shadowRoot.querySelector("[data-part=duration]");
    if (target && this._call) {
      target.textContent = duration((Date.now() - this._call.since) / 1000);
    }
  }

  _entry() {
    return configEntryOf(this._hass, this._shown.deviceId);
  }

  async _callXuc(service, data = {}) {
    const entry = this._entry();
    return this._hass.callService(DOMAIN, service, entry ? { config_entry_id: entry, ...data } : data);
  }

  _onClick(ev) {
    const button = ev.target.closest("button[data-action]");
    if (!button || button.disabled) return;
    const call = this._call;
    const target = call && call.id ? { unique_id: call.id } : {};
    const actions = {
      answer: () => this._callXuc("answer", target),
      hold: () => this._callXuc("hold", target),
      hangup: () => this._callXuc("hangup", target),
      pause: () => this._callXuc("pause_agent", this._reason ? { reason: this._reason } : {}),
      ready: () => this._callXuc("unpause_agent"),
      dnd: () => {
        const dnd = this._state("dnd");
        const service = dnd.state === "on" ? "turn_off" : "turn_on";
        return this._hass.callService("switch", service, { entity_id: dnd.entity_id });
      },
    };
    const action = actions[button.dataset.action];
    if (action) this._report(action());
  }

  _onChange(ev) {
    const select = ev.target.closest("select[data-action]");
    if (!select) return;
    if (select.dataset.action === "reason") {
      this._reason = select.value;
    } else if (select.dataset.action === "presence" && select.value) {
      const presence = this._state("presence");
      this._report(
        this._hass.callService("select", "select_option", {
          entity_id: presence.entity_id,
          option: select.value,
        }),
      );
    }
  }

  /** Show a failed action's message the way the frontend does. */
  _report(promise) {
    promise.catch((err) => {
      this.dispatchEvent(
        new CustomEvent("hass-notification", {
          detail: { message: this._errorMessage(err) },
          bubbles: true,
          composed: true,
        }),
      );
    });
  }

  _errorMessage(err) {
    const hass = this._hass;
    if (err && err.translation_key && err.translation_domain && hass.localize) {
      const text = hass.localize(
        `component.${err.translation_domain}.exceptions.${err.translation_key}.message`,
        err.translation_placeholders || {},
      );
      if (text) return text;
    }
    return (err && err.message) || String(err);
  }

  _showDialError(message) {
    const box = this._dialpad.querySelector(".error");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  async _dial() {
    const input = this._dialpad.querySelector("input");
    const destination = input.value.trim();
    if (!destination) return;
    this._showDialError("");
    try {
      await this._callXuc("dial", { destination });
      input.value = "";
    } catch (err) {
      this._showDialError(this._errorMessage(err));
    }
  }
}

class XucPhoneCardEditor extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._config = {};
    this._hass = undefined;
  }

  setConfig(config) {
    this._config = { ...config };
    this._render();
  }

  set hass(hass) {
    const users = JSON.stringify(xucUsers(hass));
    this._hass = hass;
    if (users !== this._users) {
      this._users = users;
      this._render();
    }
  }

  _render() {
    if (!this._hass) return;
    const t = (key) => translate(this._hass, key);
    const users = JSON.parse(this._users);
    const deviceId = deviceOf(this._hass, this._config);
    this.shadowRoot.innerHTML = `<style>${EDITOR_STYLE}</style>
      <label class="field"><span>${escape(t("user"))}</span>
        <select name="user" aria-label="${escape(t("user"))}">
          ${deviceId ? "" : `<option value="" selected></option>`}
          ${users
            .map(
              (user) =>
                `<option value="${escape(user.entityId)}" ${user.deviceId === deviceId ? "selected" : ""}>${escape(
                  user.name,
                )}</option>`,
            )
            .join("")}
        </select></label>
      ${OPTIONS.map(
        (option) => `<label class="check"><input type="checkbox" name="${option}"
          ${this._config[option] === false ? "" : "checked"}><span>${escape(t(option))}</span></label>`,
      ).join("")}`;
    this.shadowRoot.querySelector("select").addEventListener("change", (ev) => {
      const config = { ...this._config, entity: ev.target.value };
      delete config.device_id;
      this._changed(config);
    });
    for (const box of this.shadowRoot.querySelectorAll("input[type=checkbox]")) {
      box.addEventListener("change", () => {
        const config = { ...this._config };
        if (box.checked) delete config[box.name];
        else config[box.name] = false;
        this._changed(config);
      });
    }
  }

  _changed(config) {
    this._config = config;
    this.dispatchEvent(new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }));
  }
}

const STYLE = `
  :host { display: block; }
  ha-card { padding: 16px; display: flex; flex-direction: column; gap: 12px; height: 100%; box-sizing: border-box; }
  .main { display: flex; flex-direction: column; gap: 12px; }
  .header { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
  .user { font-size: 1.3em; font-weight: 500; color: var(--primary-text-color); }
  .badge { display: inline-flex; align-items: center; gap: 4px; padding: 2px 10px; border-radius: 12px;
    background: var(--secondary-background-color); color: var(--secondary-text-color); }
  .badge.new { background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); }
  .line, .agent-state { display: flex; align-items: center; gap: 8px; }
  .dot { width: 14px; height: 14px; border-radius: 50%; flex: none;
    box-shadow: 0 0 0 1px var(--divider-color, rgba(0, 0, 0, 0.2)); }
  .label { color: var(--secondary-text-color); }
  .value { font-weight: 500; color: var(--primary-text-color); }
  .disconnected { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 8px;
    background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); font-weight: 500; }
  .call { display: flex; flex-direction: column; gap: 8px; }
  .call-info { display: flex; align-items: center; gap: 12px; padding: 8px 12px; border-radius: 8px;
    background: var(--secondary-background-color); }
  .who { flex: 1; min-width: 0; }
  .direction { color: var(--secondary-text-color); font-size: 0.9em; }
  .held { color: var(--warning-color, #ffa600); font-weight: 500; }
  .caller { font-weight: 500; font-size: 1.1em; color: var(--primary-text-color); }
  .caller-number { color: var(--primary-text-color); font-family: var(--code-font-family, monospace); }
  .duration { font-variant-numeric: tabular-nums; color: var(--primary-text-color); }
  .actions, .availability { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
  .actions > * { flex: 1 1 0; min-width: max-content; }
  button { display: inline-flex; align-items: center; justify-content: center; gap: 6px; min-height: 36px;
    padding: 0 10px; border-radius: 18px; border: 1px solid var(--divider-color, rgba(0, 0, 0, 0.12));
    background: var(--card-background-color, #fff); color: var(--primary-color); font: inherit; cursor: pointer; }
  button:hover:not([disabled]) { background: var(--secondary-background-color); }
  button:focus-visible, select:focus-visible, input:focus-visible { outline: 2px solid var(--primary-color); outline-offset: 1px; }
  button[disabled] { color: var(--disabled-text-color); cursor: default; opacity: 0.6; }
  button.answer:not([disabled]) { background: var(--success-color, #43a047); border-color: transparent; color: #fff; }
  button.hangup:not([disabled]) { background: var(--error-color, #db4437); border-color: transparent; color: #fff; }
  button.primary:not([disabled]) { background: var(--primary-color); border-color: transparent; color: var(--text-primary-color, #fff); }
  button.toggle.on { background: var(--error-color, #db4437); border-color: transparent; color: #fff; }
  button.icon { padding: 0 8px; border: none; background: none; color: var(--secondary-text-color); }
  .field { display: inline-flex; align-items: center; gap: 6px; color: var(--secondary-text-color); }
  select, input { font: inherit; min-height: 36px; padding: 0 8px; border-radius: 8px;
    border: 1px solid var(--divider-color, rgba(0, 0, 0, 0.12));
    background: var(--card-background-color, #fff); color: var(--primary-text-color); }
  .agent { display: flex; flex-direction: column; gap: 8px; }
  .queues ul { margin: 4px 0 0; padding: 0; list-style: none; }
  .queues li { display: flex; justify-content: space-between; gap: 8px; color: var(--primary-text-color); }
  .dialpad { display: flex; flex-direction: column; gap: 8px; }
  .dialpad[hidden] { display: none; }
  .number { display: flex; gap: 4px; }
  .number input { flex: 1; min-width: 0; font-size: 1.2em; }
  .keys { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; }
  .key { font-size: 1.2em; border-radius: 8px; color: var(--primary-text-color); }
  .wide { width: 100%; }
  .error { color: var(--error-color, #db4437); }
  .empty { color: var(--secondary-text-color); }
  ha-icon { --mdc-icon-size: 20px; }
`;

const EDITOR_STYLE = `
  :host { display: flex; flex-direction: column; gap: 12px; }
  .field { display: flex; flex-direction: column; gap: 4px; color: var(--secondary-text-color); }
  .check { display: flex; align-items: center; gap: 8px; color: var(--primary-text-color); }
  select { font: inherit; min-height: 40px; padding: 0 8px; border-radius: 8px;
    border: 1px solid var(--divider-color, rgba(0, 0, 0, 0.12));
    background: var(--card-background-color, #fff); color: var(--primary-text-color); }
`;

/**
 * Define the elements once the frontend's app is defined: loaded early as an
 * extra module, this file may run before the app replaces the registry of
 * custom elements (its scoped-registry polyfill), which would lose them.
 */
async function register() {
  await window.customElements.whenDefined("home-assistant");
  const registry = window.customElements;
  if (registry.get(CARD)) return;
  registry.define(CARD, XucPhoneCard);
  registry.define(EDITOR, XucPhoneCardEditor);
  window.customCards = window.customCards || [];
  window.customCards.push({
    type: CARD,
    name: translate({ language: navigator.language }, "card_name"),
    description: translate({ language: navigator.language }, "card_description"),
    preview: true,
    documentationURL: "https://github.com/xivo-xuc-ha/xuc-home-assistant#the-phone-card",
  });
  console.info(`%c${CARD} ${VERSION}`, "color: var(--primary-color)");
}

register();
