/// F# views of the C# core: connection ids as numbers, effects as deliveries, runs as lists of transitions.
/// Everything the properties need to read the core's records goes through here, so the specs read as F#.
module ChatRoom.Core.Specs.Interop

open ChatRoom.Core.Protocol
open ChatRoom.Core.Room
open ChatRoom.Core.Log
open LanguageExt.Common

let conn (n: int) = ConnectionId(int64 n)

let succ (command: Command) = LanguageExt.Prelude.FinSucc command

let fail (code: int) (text: string) = LanguageExt.Prelude.FinFail<Command>(Error.New(code, text))

/// The command a received line decoded to, or None for a framing or decoding error.
let commandOf (line: LanguageExt.Fin<Command>) =
    match line.Case with
    | :? Command as command -> Some command
    | _ -> None

/// An effect that puts an event on the wire: the connections it reaches and the event, Send or Broadcast alike.
let (|Delivery|_|) (effect: Effect) =
    match effect with
    | :? Effect.Send as send -> Some([ send.To ], send.Event)
    | :? Effect.Broadcast as broadcast -> Some(List.ofSeq broadcast.To, broadcast.Event)
    | _ -> None

let (|Closing|_|) (effect: Effect) =
    match effect with
    | :? Effect.Close as close -> Some close.Id
    | _ -> None

/// The events a connection may only see once it is in the room.
let isRoomTraffic (event: ServerEvent) =
    match event with
    | :? ServerEvent.Joined
    | :? ServerEvent.Left
    | :? ServerEvent.Message
    | :? ServerEvent.Whisper
    | :? ServerEvent.Users -> true
    | _ -> false

/// The sequence number of a JOINED, LEFT or MESSAGE.
let (|Numbered|_|) (event: ServerEvent) =
    match event with
    | :? ServerEvent.Joined as joined -> Some joined.Seq
    | :? ServerEvent.Left as left -> Some left.Seq
    | :? ServerEvent.Message as message -> Some message.Seq
    | _ -> None

let sessions (state: RoomState) = List.ofSeq state.Sessions.Values

let members (state: RoomState) = set [ for id in state.Members -> id.Value ]

let nicks (state: RoomState) = [ for struct (fold, id) in state.Nicks -> fold, id ]

let tryFind (key: 'k) (map: LanguageExt.HashMap<'eq, 'k, 'v>) = if map.ContainsKey key then Some map[key] else None

let phaseOf (id: ConnectionId) (state: RoomState) = state.PhaseOf id

/// One step of a run, with the state on both sides.
type Transition =
    { Before: RoomState
      Input: Input
      Effects: Effect list
      After: RoomState }

/// Runs the inputs one at a time and keeps every transition.
let trace (initial: RoomState) (inputs: Input list) =
    inputs
    |> List.mapFold
        (fun state input ->
            let outcome = InstantLog.Step(state, input)
            { Before = state; Input = input; Effects = List.ofSeq outcome.Effects; After = outcome.State }, outcome.State)
        initial
    |> fst

/// A property that holds when there are no violations, and names the first few when it fails.
let holds (violations: string list) =
    List.isEmpty violations
    |> FsCheck.FSharp.Prop.label (violations |> List.truncate 5 |> String.concat "\n")
