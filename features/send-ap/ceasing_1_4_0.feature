@v1.4.0 @v1.5.0
Feature: No ceasing a plan before the decision to cease can no longer be appealed or the appeal is decided (version 1.4.0)
  A local authority that decides to cease to maintain a plan must keep maintaining it "until the
  time has passed for bringing an appeal or the appeal has been determined" (Children and Families
  Act 2014 s45(4), read in its Explanatory Notes). The appeal may be brought within 2 months after
  the notice of the decision was sent, or within 1 month of a mediation certificate if that is
  later (SI 2008/2699 r20(1)(c)). The local authority records the first day the plan may be
  ceased: the day after the period for appealing ended, or the day the appeal was determined.

  A notice sent on Monday 2 March 2026 can be appealed up to 2 May 2026; the plan may be ceased
  from 3 May 2026.

  Background:
    Given a young person born on 5 May 2008
    And the decision to cease the plan notified on 2 March 2026, with the appeal rights

  Rule: ehc.cease_after_appeal - the plan is ceased only once the decision to cease is final

    Scenario: No appeal: the plan ceased on the first day after the period for appealing ended
      Given the decision to cease the plan became final on 3 May 2026, no appeal having been brought
      And the plan ceased on 3 May 2026, carrying out the decision to cease
      When the duties are decided on 1 June 2026
      Then the duty "ehc.cease_after_appeal" for the cessation is met
      And the duty was satisfied by the finality of the decision to cease
      And the local authority holds the duty
      And the duty is a "must"
      And the duty cites "Children and Families Act 2014 s45(4)"

    Scenario: The plan ceased on the last day an appeal could be brought
      Given the plan ceased on 2 May 2026, carrying out the decision to cease
      And the decision to cease the plan became final on 3 May 2026, no appeal having been brought
      When the duties are decided on 1 June 2026
      Then the duty "ehc.cease_after_appeal" for the cessation is breached

    Scenario: The plan ceased while the appeal was undetermined
      Given the plan ceased on 1 July 2026, carrying out the decision to cease
      When the duties are decided on 15 July 2026
      Then the duty "ehc.cease_after_appeal" for the cessation is breached
      Given the decision to cease the plan became final on 14 September 2026, the appeal having been determined
      When the duties are decided on 1 October 2026
      Then the duty "ehc.cease_after_appeal" for the cessation is breached

    Scenario: A cessation that does not name the decision to cease is not checked
      Given the plan ceased on 10 March 2026
      When the duties are decided on 1 June 2026
      Then no duty "ehc.cease_after_appeal" applies
