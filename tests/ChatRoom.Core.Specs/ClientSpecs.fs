/// Client reducers against the room reducer, in memory, from F#: lines go through the codecs both ways, the room's
/// log commits at once (InstantLog), and time moves only when the script says, each client ticked at its deadlines.
module ChatRoom.Core.Specs.ClientSpecs

open System
open ChatRoom.Core.Auth
open ChatRoom.Core.Client
open ChatRoom.Core.Log
open ChatRoom.Core.Protocol
open ChatRoom.Core.Room
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Interop

let private t0 = DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero)

let private nicks = [| "alice"; "bob"; "北落" |]

let private password nick = nick + " password"

/// What is in flight: an input for the room, or a line on its way to a client over one of its connections.
type private Delivery =
    | ToRoom of Input
    | ToClient of client: int * via: ConnectionId * line: string

/// The room, its clients and the wire between them. Only `settle` and `advance` change it.
type private World =
    { Room: RoomState
      Clients: ClientState list
      Connection: Map<int, ConnectionId>
      Owner: Map<int64, int>
      Version: Map<int64, int>
      /// The live MESSAGE texts each client showed, newest first.
      Seen: Map<int, string list>
      Now: DateTimeOffset }

let private stepClient (world: World) (client: int) (input: ClientInput) : World * Delivery list =
    let outcome = ClientSession.Step(world.Clients[client], input)
    let world = { world with Clients = world.Clients |> List.updateAt client outcome.State }
    outcome.Effects
    |> Seq.fold
        (fun (world: World, out) effect ->
            match effect with
            | :? ClientEffect.Send as send ->
                match world.Connection.TryFind client, CommandCodec.Encode(send.Command).Case with
                | Some id, (:? string as line) -> world, out @ [ ToRoom(Input.Received(id, CommandCodec.Decode line, world.Now)) ]
                | _ -> world, out
            | :? ClientEffect.Show as show when not show.History ->
                match show.Event with
                | :? ServerEvent.Message as m ->
                    { world with Seen = world.Seen.Change(client, fun seen -> Some(m.Text :: defaultArg seen [])) }, out
                | _ -> world, out
            | _ -> world, out)
        (world, [])

let private stepRoom (world: World) (input: Input) : World * Delivery list =
    let outcome = InstantLog.Step(world.Room, input)
    let world = { world with Room = outcome.State }
    outcome.Effects
    |> Seq.fold
        (fun (world: World, out) effect ->
            match effect with
            | Delivery(targets, event) ->
                let lines =
                    [ for id in targets do
                          match world.Owner.TryFind id.Value with
                          | Some client ->
                              let version = world.Version.TryFind id.Value |> Option.defaultValue ProtocolVersion.First
                              match EventCodec.Encode(event, version).Case with
                              | :? string as line -> yield ToClient(client, id, line)
                              | _ -> ()
                          | None -> () ]
                world, out @ lines
            | :? Effect.CheckPassword as check ->
                let verdict = if check.Password = password check.Nick then AuthVerdict.Accepted else AuthVerdict.WrongPassword
                world, out @ [ ToRoom(Input.LoginChecked(check.Id, check.Nick, verdict, world.Now)) ]
            | :? Effect.UseProtocol as used -> { world with Version = world.Version.Add(used.Id.Value, used.Version) }, out
            | _ -> world, out)
        (world, [])

/// Delivers everything in flight, in order, and what that sets off; bounded, so a livelock fails instead of hanging.
let private settle (world: World) (pending: Delivery list) =
    let rec go world pending budget =
        match pending with
        | [] -> world
        | _ when budget = 0 -> failwith "the clients and the room never settle"
        | ToRoom input :: rest ->
            let world, more = stepRoom world input
            go world (rest @ more) (budget - 1)
        | ToClient(client, via, line) :: rest when world.Connection.TryFind client = Some via ->
            let decoded = EventCodec.Decode(line, world.Clients[client].Protocol)
            let world, more = stepClient world client (ClientInput.ServerLine(decoded, world.Now))
            go world (rest @ more) (budget - 1)
        | _ :: rest -> go world rest (budget - 1)
    go world pending 200_000

let private typed (world: World) client text =
    let world, out = stepClient world client (ClientInput.UserLine(text, world.Now))
    settle world out

/// Lets time pass to `until`, ticking each client at each of its deadlines on the way, earliest first.
let rec private advance (world: World) (until: DateTimeOffset) (budget: int) =
    let due =
        world.Clients
        |> List.indexed
        |> List.choose (fun (n, c) ->
            match c.NextDeadline.Case with
            | :? DateTimeOffset as d when d <= until -> Some(d, n)
            | _ -> None)
    match due with
    | _ when budget = 0 -> failwith "a client's deadlines never end"
    | [] -> { world with Now = until }
    | _ ->
        let at, client = List.min due
        let world = { world with Now = max at world.Now }
        let world, out = stepClient world client (ClientInput.Tick world.Now)
        advance (settle world out) until (budget - 1)

/// Every client connected and logged in, one after the other.
let private joined (settings: RoomSettings) (count: int) =
    let initial =
        { Room = RoomState.Empty settings
          Clients = [ for n in 0 .. count - 1 -> ClientState.Initial("memory:7777", nicks[n], password nicks[n], true) ]
          Connection = Map.empty
          Owner = Map.empty
          Version = Map.empty
          Seen = Map.empty
          Now = t0 }
    [ 0 .. count - 1 ]
    |> List.fold
        (fun world n ->
            let id = conn (n + 1)
            let world = { world with Connection = world.Connection.Add(n, id); Owner = world.Owner.Add(id.Value, n) }
            let world = settle world [ ToRoom(Input.Opened(id, "10.0.0.1", 40000 + n, world.Now)) ]
            advance world (world.Now.AddMilliseconds 100.0) 10_000)
        initial

/// One line said: by whom (an index below the number of clients) and how long after the line before (ms).
type Said = { Client: int; GapMs: int }

type ClientGenerators =
    static member Run() =
        gen {
            let! clients = Gen.choose (2, 3)
            let! script =
                Gen.zip (Gen.choose (0, clients - 1)) (Gen.frequency [ 3, Gen.constant 0; 2, Gen.choose (1, 400) ])
                |> Gen.map (fun (client, gap) -> { Client = client; GapMs = gap })
                |> Gen.listOf
                |> Gen.map (List.truncate 50)
            let! tight = Gen.elements [ true; false ]
            return clients, script, tight
        }
        |> Arb.fromGen

[<Property(Arbitrary = [| typeof<ClientGenerators> |], MaxTest = 100)>]
let ``every SAY is shown once to every client, in one order, paced or not`` (clients: int, script: Said list, tight: bool) =
    let settings = if tight then RoomSettings(RateBurst = 6, RatePerSecond = 2.0) else RoomSettings.Default
    let said = script |> List.mapi (fun n s -> s.Client, sprintf "%s line %d" nicks[s.Client] n)
    let world =
        List.zip script said
        |> List.fold
            (fun world (s, (client, text)) ->
                let world = advance world (world.Now.AddMilliseconds(float s.GapMs)) 10_000
                typed world client text)
            (joined settings clients)
    let world = advance world (world.Now.AddSeconds 60.0) 10_000
    let seen n = world.Seen.TryFind n |> Option.defaultValue [] |> List.rev
    [ for n in 0 .. clients - 1 do
          if world.Clients[n].Phase <> ClientPhase.InRoom then
              yield sprintf "%s is no longer in the room" nicks[n]
          if seen n <> seen 0 then
              yield sprintf "%s saw %A, %s saw %A" nicks[n] (seen n) nicks[0] (seen 0)
          if List.sort (seen n) <> List.sort (List.map snd said) then
              yield sprintf "%s did not see every line once: %A" nicks[n] (seen n)
          let own = said |> List.filter (fun (c, _) -> c = n) |> List.map snd
          if seen n |> List.filter (fun t -> List.contains t own) <> own then
              yield sprintf "%s's lines are out of the order typed" nicks[n] ]
    |> holds
    |> Prop.classify tight "tight rate limit"
    |> Prop.classify (clients = 3) "three clients"
