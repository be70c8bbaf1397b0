/// The room's invariants, checked over random runs of connections, logins, chat, closes and ticks.
/// Each property is a generator (Scenarios) and a check that lists what it found wrong, so a failure names the
/// step and the connection, and a shrunk counterexample reads as a script.
module ChatRoom.Core.Specs.RoomSpecs

open ChatRoom.Core.Protocol
open ChatRoom.Core.Room
open ChatRoom.Core.Log
open FsCheck.FSharp
open FsCheck.Xunit
open Interop
open Scenarios

/// A room whose SAYs are never refused with 429, so every SAY from a member must be delivered.
let unlimited = RoomState.Empty(RoomSettings(RateLimitEnabled = false))

/// A room that refuses a third quick SAY or WHISPER in a row.
let strict = RoomState.Empty(RoomSettings(RateBurst = 2, RatePerSecond = 0.1))

/// At most one member per folded nickname, no two members who look alike, and Nicks and Members agree with the sessions.
let nicknameViolations (state: RoomState) =
    let inRoom = sessions state |> List.filter (fun s -> s.Phase = Phase.InRoom)
    [ for fold, online in inRoom |> List.groupBy (fun s -> Syntax.FoldNick s.Nick) do
          if online.Length > 1 then
              yield sprintf "%s is online on %s" fold (online |> List.map (fun s -> s.Id.ToString()) |> String.concat ", ")
      for a in inRoom do
          for b in inRoom do
              if a.Id.Value < b.Id.Value && Syntax.FoldNick a.Nick <> Syntax.FoldNick b.Nick && ChatRoom.Core.Names.Lookalike.LookAlike(a.Nick, b.Nick) then
                  yield sprintf "%s (%O) and %s (%O) look alike and are both online" a.Nick a.Id b.Nick b.Id
      for fold, id in nicks state do
          match tryFind id state.Sessions with
          | Some s when s.Phase = Phase.InRoom && Syntax.FoldNick s.Nick = fold -> ()
          | found -> yield sprintf "Nicks maps %s to %O, whose session is %A" fold id found
      let inRoomIds = set [ for s in inRoom -> s.Id.Value ]
      if members state <> inRoomIds then
          yield sprintf "Members %A but the sessions in the room are %A" (members state) inRoomIds ]

/// Room traffic delivered to a connection that has not had its WELCOME since it was last closed.
let trafficBeforeWelcome (run: Transition list) =
    let visit (welcomed: Set<int64>, violations) (input: Input, effect: Effect) =
        match effect with
        | Delivery([ id ], (:? ServerEvent.Welcome)) -> welcomed.Add id.Value, violations
        | Delivery(targets, event) when isRoomTraffic event ->
            let early = targets |> List.filter (fun id -> not (welcomed.Contains id.Value))
            welcomed, violations @ [ for id in early -> sprintf "%O got %O before WELCOME, on %s" id event (describe input) ]
        | Closing id -> welcomed.Remove id.Value, violations
        | _ -> welcomed, violations
    run
    |> List.collect (fun t -> [ for effect in t.Effects -> t.Input, effect ])
    |> List.fold visit (Set.empty, [])
    |> snd

/// Anything delivered to a connection between its Close and its next HELLO.
let trafficAfterClose (run: Transition list) =
    let visit (closed: Set<int64>, violations) (input: Input, effect: Effect) =
        match effect with
        | Delivery([ id ], (:? ServerEvent.Hello)) -> closed.Remove id.Value, violations
        // A connection turned away at the door (BYE without HELLO) has connected again too: that BYE is its own.
        | Delivery([ id ], _) when (match input with :? Input.Opened as o -> o.Id = id | _ -> false) -> closed.Remove id.Value, violations
        | Delivery(targets, event) ->
            let late = targets |> List.filter (fun id -> closed.Contains id.Value)
            closed, violations @ [ for id in late -> sprintf "%O got %O after its Close, on %s" id event (describe input) ]
        | Closing id -> closed.Add id.Value, violations
        | _ -> closed, violations
    run
    |> List.collect (fun t -> [ for effect in t.Effects -> t.Input, effect ])
    |> List.fold visit (Set.empty, [])
    |> snd

/// The sender and text of a SAY that arrived from a member.
let private sayFromMember (t: Transition) =
    match t.Input with
    | :? Input.Received as r when phaseOf r.Id t.Before = Phase.InRoom ->
        match commandOf r.Line with
        | Some(:? Command.Say as say) -> Some(t.Before.Sessions[r.Id], say.Text)
        | _ -> None
    | _ -> None

let private messagesIn (t: Transition) =
    [ for effect in t.Effects do
          match effect with
          | Delivery(targets, (:? ServerEvent.Message as message)) -> yield targets, message
          | _ -> () ]

let private tooFastIn (t: Transition) =
    [ for effect in t.Effects do
          match effect with
          | Delivery(targets, (:? ServerEvent.Error as error)) when error.Code = ErrorCodes.TooFast -> yield targets
          | _ -> () ]

/// A member's SAY gives one MESSAGE to each member (sender included) carrying the room's new seq, unless it was
/// refused with 429; nothing else gives a MESSAGE. JOINED, LEFT and MESSAGE seqs increase over the whole run.
let sayViolations (run: Transition list) =
    let perStep (t: Transition) =
        let messages = messagesIn t
        let where = describe t.Input
        match sayFromMember t with
        | None -> [ if not messages.IsEmpty then yield sprintf "%s is no SAY from a member but gave %A" where messages ]
        | Some(sender, _) when not (tooFastIn t).IsEmpty ->
            [ if tooFastIn t <> [ [ sender.Id ] ] then yield sprintf "%s: 429 went to %A" where (tooFastIn t)
              if not messages.IsEmpty then yield sprintf "%s was refused with 429 yet gave %A" where messages ]
        | Some(sender, text) ->
            let received = messages |> List.collect (fun (targets, _) -> [ for c in targets -> c.Value ]) |> List.countBy id
            [ if List.sort received <> [ for m in members t.Before -> m, 1 ] then
                  yield sprintf "%s: MESSAGEs per connection %A, but the members are %A" where received (members t.Before)
              for _, message in messages do
                  if message.From <> sender.Nick || message.Text <> text || message.Seq <> t.After.Seq then
                      yield sprintf "%s: wrong %O (sender %s, room seq %d)" where message sender.Nick t.After.Seq ]
    let numbered =
        [ for t in run do
              for effect in t.Effects do
                  match effect with
                  | Delivery(_, (Numbered seq as event)) -> yield seq, event
                  | _ -> () ]
    let outOfOrder =
        [ for (a, first), (b, second) in List.pairwise numbered do
              if b <= a then yield sprintf "seq does not increase: %O then %O" first second ]
    (run |> List.collect perStep) @ outOfOrder

/// What is left of the room once every connection is gone.
let leftovers (state: RoomState) =
    [ if not state.Sessions.IsEmpty then yield sprintf "sessions left: %A" (sessions state)
      if not state.Members.IsEmpty then yield sprintf "members left: %A" (members state)
      if not state.Nicks.IsEmpty then yield sprintf "nicks left: %A" (nicks state)
      for struct (address, record) in state.Addresses do
          if record.Connections <> 0 then yield sprintf "%s still counts %d connections" address record.Connections ]

let private mostOnline (run: Transition list) = run |> List.map (fun t -> t.After.Members.Count) |> List.fold max 0

let private acceptedSays (run: Transition list) =
    run |> List.filter (fun t -> (sayFromMember t).IsSome && (tooFastIn t).IsEmpty) |> List.length

[<Property(Arbitrary = [| typeof<Generators> |], MaxTest = 300)>]
let ``no nickname is ever online twice`` (scenario: Scenario) =
    let run = trace RoomState.Initial scenario.Inputs
    run
    |> List.collect (fun t -> nicknameViolations t.After |> List.map (sprintf "after %s: %s" (describe t.Input)))
    |> holds
    |> Prop.classify (mostOnline run >= 2) "two or more online at once"
    |> Prop.classify (mostOnline run = 0) "nobody ever got in"

[<Property(Arbitrary = [| typeof<Generators> |], MaxTest = 300)>]
let ``a connection never receives room traffic before its WELCOME`` (scenario: Scenario) =
    trace RoomState.Initial scenario.Inputs |> trafficBeforeWelcome |> holds

[<Property(Arbitrary = [| typeof<Generators> |], MaxTest = 300)>]
let ``a closed connection hears nothing until it connects again`` (scenario: Scenario) =
    trace RoomState.Initial scenario.Inputs |> trafficAfterClose |> holds

[<Property(Arbitrary = [| typeof<Generators> |], MaxTest = 300)>]
let ``every accepted SAY reaches each member exactly once, in increasing seq`` (scenario: Scenario) =
    let run = trace unlimited scenario.Inputs
    sayViolations run
    |> holds
    |> Prop.classify (acceptedSays run = 0) "no SAY accepted"
    |> Prop.classify (acceptedSays run >= 5) "5+ SAYs accepted"

[<Property(Arbitrary = [| typeof<Generators> |], MaxTest = 300)>]
let ``under a tight rate limit a SAY is either delivered to everyone or refused with 429 alone`` (scenario: Scenario) =
    let run = trace strict scenario.Inputs
    let refused = run |> List.filter (fun t -> not (tooFastIn t).IsEmpty) |> List.length
    sayViolations run |> holds |> Prop.classify (refused > 0) "some SAY or WHISPER refused with 429"

[<Property(Arbitrary = [| typeof<Generators> |], MaxTest = 300)>]
let ``closing every connection returns the room to empty`` (scenario: Scenario) (CloseOrder order) =
    let state = InstantLog.Run(RoomState.Initial, scenario.Inputs).State
    let stillOpen = order |> List.filter (fun n -> state.Sessions.ContainsKey(conn n))
    let at = scenario.End.AddSeconds 1.0
    let closes = [ for n in stillOpen -> Input.Closed(conn n, "peer closed", at) :> Input ]
    [ if state.Sessions.Count <> stillOpen.Length then
          yield sprintf "sessions outside the id pool: %A" [ for s in sessions state -> s.Id ]
      yield! leftovers (InstantLog.Run(state, closes).State) ]
    |> holds
    |> Prop.classify (not state.Members.IsEmpty) "members were online"

/// The line a step received and the table of verbs' rule for it in its sender's state, if it decoded.
let private ruleOf (t: Transition) =
    match t.Input with
    | :? Input.Received as r ->
        commandOf r.Line
        |> Option.map (fun command -> r, (Verb.Of command).RuleIn(phaseOf r.Id t.Before))
    | _ -> None

/// Lines whose verb the sender's state refuses or ignores, answered otherwise than the table of verbs says:
/// a refusal is that one ERROR and nothing else, an ignored line (a closed connection) gets nothing.
let refusalViolations (run: Transition list) =
    [ for t in run do
          let expected =
              match ruleOf t with
              | Some(r, (:? Rule.Refuse as refuse)) -> Some [ Effect.Send(r.Id, ServerEvent.Error(refuse.Code, refuse.Text)) :> Effect ]
              | Some(_, (:? Rule.Ignore)) -> Some []
              | _ -> None
          match expected with
          | Some effects when effects <> t.Effects ->
              yield sprintf "%s: the table says %A, the room did %A" (describe t.Input) effects t.Effects
          | _ -> () ]

[<Property(Arbitrary = [| typeof<Generators> |], MaxTest = 300)>]
let ``a line its state refuses is answered with the table of verbs' error alone`` (scenario: Scenario) =
    let run = trace unlimited scenario.Inputs
    let refused = run |> List.exists (fun t -> match ruleOf t with Some(_, (:? Rule.Refuse)) -> true | _ -> false)
    refusalViolations run |> holds |> Prop.classify refused "some line refused by its state"
