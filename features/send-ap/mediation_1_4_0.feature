@v1.4.0 @v1.5.0
Feature: Steps after a mediation agreement (version 1.4.0)
  Where a mediation agreement requires the local authority or the responsible commissioning body
  (the integrated care board, ICB) to do something about which there is no right of appeal, it
  "must do that thing within two weeks of the date of the mediation agreement", unless the parties
  agree a different timescale in writing; where the local authority was not a party, the ICB
  "must notify the local authority of the mediation agreement within 1 week of the date of that
  agreement" (SEND Regulations 2014 reg 42(3)-(5)). An agreement of Monday 2 March 2026: 2 weeks
  end on Monday 16 March, 1 week on Monday 9 March.

  Background:
    Given a child born on 14 March 2014

  Rule: mediation.agreement_carried_out - what the agreement requires, within 2 weeks

    Scenario: The local authority carries out the agreement on the last of the 2 weeks
      Given a mediation agreement reached on 2 March 2026, with the local authority, requiring the local authority to act
      And the mediation agreement carried out on 16 March 2026
      When the duties are decided on 1 April 2026
      Then the duty "mediation.agreement_carried_out" for the mediation agreement is met, due on 16 March 2026
      And the duty was satisfied by the action on the mediation agreement
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 42(3)"

    Scenario: The ICB carries it out a day late
      Given a mediation agreement reached on 2 March 2026, with the local authority, requiring the ICB to act
      And the mediation agreement carried out on 17 March 2026
      When the duties are decided on 1 April 2026
      Then the duty "mediation.agreement_carried_out" for the mediation agreement is late, due on 16 March 2026
      And the integrated care board holds the duty

    Scenario: A different timescale agreed in writing
      Given a mediation agreement reached on 2 March 2026, with the local authority, requiring the local authority to act, agreeing a different timescale
      When the duties are decided on 1 April 2026
      Then no duty "mediation.agreement_carried_out" applies

  Rule: mediation.agreement_notice - the ICB tells a local authority that was not a party

    Scenario: The ICB tells the local authority on the last day of the week
      Given a mediation agreement reached on 2 March 2026, without the local authority
      And the ICB told the local authority of the mediation agreement on 9 March 2026
      When the duties are decided on 1 April 2026
      Then the duty "mediation.agreement_notice" for the mediation agreement is met, due on 9 March 2026
      And the integrated care board holds the duty
      And the duty cites "SEND Regulations 2014 reg 42(4)"

    Scenario: The notice a day after the week is late
      Given a mediation agreement reached on 2 March 2026, without the local authority
      And the ICB told the local authority of the mediation agreement on 10 March 2026
      When the duties are decided on 1 April 2026
      Then the duty "mediation.agreement_notice" for the mediation agreement is late, due on 9 March 2026
