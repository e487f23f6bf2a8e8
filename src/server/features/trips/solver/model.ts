// The trip planner's model: what the records of a trip become before the solver sees them (issue 14).
//
// This file is the contract between the two halves of Trips:
// - the builder (features/trips/*.service.ts) turns a trip's records (travellers, bases, working hours, fixed
//   items, requests, places, travel times, access rules and permits, calendars, availability) into a
//   `PlanningProblem`, having already resolved every rule that does not depend on the solver's choices (who may
//   reach which venue on which day, the counterpart's windows, weekends and holidays);
// - the solver (features/trips/solver/) turns a `PlanningProblem` into a `Plan`, never reading the database.
//
// Changes here are additive (new optional fields) so that both halves keep compiling.
//
// Time is in whole minutes from the trip's epoch: 00:00 of its first day in the trip's IANA zone. Day d covers
// [d * 1440, (d + 1) * 1440). Places are indices into `places`. Travellers and requests are named by their ids.

export type Minute = number;

/** A half-open interval [start, end) in minutes from the trip's epoch. */
export interface Interval {
  start: Minute;
  end: Minute;
}

export interface PlanningPlace {
  id: string;
  /** 'online' places need no travel: the traveller attends from wherever they are. */
  online?: boolean;
}

/**
 * Door-to-door travel in minutes when leaving `from` for `to` at `departAt` (time-of-day extras, such as a
 * checkpoint at rush hour, already included; the faster of car and foot). `Infinity` when there is no way.
 * Must satisfy travel(a, a, t) = 0. The builder memoises it; the solver may call it often.
 */
export type TravelTime = (from: number, to: number, departAt: Minute) => number;

export interface TravellerDay {
  day: number;
  /** When the traveller works that day (their working hours minus the weekend and holidays they keep). */
  window: Interval;
  /** Where the day starts and ends (the base for that night: hotel or office). */
  startPlace: number;
  endPlace: number;
}

export interface PlanningTraveller {
  id: string;
  days: TravellerDay[];
  /** Minutes kept free between two consecutive items, besides the travel (default 0). */
  bufferMinutes?: number;
}

/** Something already in a traveller's diary that the plan works around: a flight, the evening event. */
export interface FixedItem {
  id: string;
  travellerIds: string[];
  place: number;
  interval: Interval;
}

/** One way a request can be held: at a place, within windows, by travellers who can reach it then. */
export interface RequestOption {
  place: number;
  /** Windows in which the whole meeting must fit (the counterpart's availability, intersected by day with
   * the days on which every counterpart may reach the place). Sorted, disjoint. */
  windows: Interval[];
  /** The travellers who may attend at this place (those who may reach it on the windows' days). A traveller who
   * must attend but may not reach the place means the builder leaves the option out. */
  travellerIds: string[];
}

export interface PlanningRequest {
  id: string;
  /** Weight in the objective (larger is more important), a positive integer. */
  priority: number;
  durationMinutes: number;
  /** Travellers who must all attend. */
  mustAttend: string[];
  /** Travellers who may attend besides (optional extra attendees). */
  mayAttend: string[];
  /** At least this many travellers attend in all (>= 1; >= mustAttend.length). 'one-on-one' requests have 1. */
  minTravellers: number;
  /** At most this many travellers (one-on-one: 1). */
  maxTravellers: number;
  options: RequestOption[];
}

/** A request held at a fixed time and place by fixed travellers: staff pinned it; the solver keeps it. */
export interface PinnedItem {
  requestId: string;
  travellerIds: string[];
  place: number;
  start: Minute;
}

/** The previous plan's placement of a request, which a re-plan changes as little as it can. */
export interface PreviousPlacement {
  requestId: string;
  travellerIds: string[];
  place: number;
  start: Minute;
}

export interface PlanningProblem {
  places: PlanningPlace[];
  travel: TravelTime;
  travellers: PlanningTraveller[];
  fixed: FixedItem[];
  requests: PlanningRequest[];
  pinned: PinnedItem[];
  previous?: PreviousPlacement[];
  /** Reasons the builder already knows, per request id (no option survived): given back unchanged in `Plan.unplanned`. */
  excluded?: Record<string, UnplannedReason[]>;
  /** Wall-clock budget for the solver, in milliseconds. */
  timeLimitMs?: number;
  /** Seed for any randomness, so that a plan can be reproduced. */
  seed?: number;
}

export interface PlannedItem {
  requestId: string;
  travellerIds: string[];
  place: number;
  start: Minute;
  end: Minute;
  pinned: boolean;
}

export interface TravelLeg {
  travellerId: string;
  from: number;
  to: number;
  depart: Minute;
  arrive: Minute;
}

/** Why a request is not in the plan, in terms a person understands; rendered in three languages by the app. */
export type UnplannedReason =
  | { kind: 'no_common_availability' }
  | { kind: 'no_reachable_venue'; personId: string; day: number }
  | { kind: 'no_traveller_available'; travellerId?: string }
  | { kind: 'displaced_by'; requestId: string }
  | { kind: 'travel_too_long'; fromPlace: number; toPlace: number }
  | { kind: 'duration_exceeds_windows' }
  | { kind: 'pinned_conflict'; requestId: string };

export interface Plan {
  items: PlannedItem[];
  legs: TravelLeg[];
  unplanned: Array<{ requestId: string; reasons: UnplannedReason[] }>;
  objective: {
    /** Sum of the priorities of the requests held. */
    priorityHeld: number;
    travelMinutes: number;
    idleMinutes: number;
    /** Requests whose traveller, place or start differ from `previous`. */
    changedFromPrevious: number;
  };
  /** 'optimal' when proved (small instances, exact solver), else 'heuristic'. */
  status: 'optimal' | 'heuristic';
  seconds: number;
}
