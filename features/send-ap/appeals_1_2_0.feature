@v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
Feature: Re-assessment requests, conceded appeals and mediation (version 1.2.0)
  A request to re-assess is decided within 15 days of the request (SEND Regulations 2014 reg
  25(1), read in secondary sources). When the local authority tells the First-tier Tribunal it
  will not oppose an appeal (reg 45 as substituted by SI 2015/359): about an assessment, it tells
  the family within 2 weeks that the assessment will be made, then notifies a decision not to
  issue a plan within 10 weeks or sends the finalised plan within 14 weeks; about a plan's
  contents or an amendment, it issues the amended plan within 5 weeks; every period runs from
  the day it notified the Tribunal. Mediation (regs 34 and 37, read in secondary sources): the
  certificate within 3 working days when the family declines mediation or after the mediation,
  and the mediation within 30 days of the family asking for it.

  Background:
    Given a child born on 14 March 2015

  Rule: ehc.reassessment_request_decision - decide within 15 days of a request to re-assess

    Scenario Outline: The decision on the days around the due date
      Given a request to re-assess the child's needs received on Monday 3 March 2025
      And the local authority decided on <decided> to re-assess the child's needs
      When the duties are decided on 1 June 2025
      Then the duty "ehc.reassessment_request_decision" for the re-assessment request is <status>, due on 18 March 2025
      And the local authority holds the duty

      Examples:
        | decided       | status |
        | 18 March 2025 | met    |
        | 19 March 2025 | late   |

    Scenario: No decision is overdue the day after the 15 days
      Given a request to re-assess the child's needs received on 3 March 2025
      When the duties are decided on 19 March 2025
      Then the duty "ehc.reassessment_request_decision" for the re-assessment request is overdue, due on 18 March 2025
      And the duty cites "SEND Regulations 2014 reg 25(1)"

  Rule: appeal.conceded_assessment_notice, appeal.conceded_final_plan and appeal.conceded_no_plan_notice

    Scenario: After conceding an appeal about an assessment, the notice and the plan come in time
      Given the local authority conceded an appeal about an assessment on Monday 3 March 2025
      And the family told on 17 March 2025 that the assessment will be made
      And the final EHC plan issued on 9 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "appeal.conceded_assessment_notice" for the concession is met, due on 17 March 2025
      And the duty was satisfied by the notice that the assessment will be made
      And the duty cites "SEND Regulations 2014 reg 45(3)"
      And the duty cites "SI 2015/359 reg 8"
      And the duty "appeal.conceded_final_plan" for the concession is met, due on 9 June 2025
      And the duty cites "SEND Regulations 2014 reg 45(3A)(b)"
      And no duty "appeal.conceded_no_plan_notice" applies

    Scenario: The notice and the plan come late
      Given the local authority conceded an appeal about an assessment on 3 March 2025
      And the family told on 18 March 2025 that the assessment will be made
      And the final EHC plan issued on 10 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "appeal.conceded_assessment_notice" for the concession is late, due on 17 March 2025
      And the duty "appeal.conceded_final_plan" for the concession is late, due on 9 June 2025

    Scenario Outline: A decision not to issue a plan within 10 weeks
      Given the local authority conceded an appeal about an assessment on 3 March 2025
      And the local authority decided on <decided> not to issue an EHC plan
      When the duties are decided on 1 July 2025
      Then the duty "appeal.conceded_no_plan_notice" for the concession is <status>, due on 12 May 2025
      And the duty cites "SEND Regulations 2014 reg 45(3A)(a)"
      And no duty "appeal.conceded_final_plan" applies
      And the duty "appeal.conceded_assessment_notice" for the concession is overdue, due on 17 March 2025

      Examples:
        | decided     | status |
        | 12 May 2025 | met    |
        | 13 May 2025 | late   |

  Rule: appeal.conceded_amended_plan - the amended plan within 5 weeks of conceding an appeal about it

    Scenario Outline: The amended plan on the days around the due date
      Given the local authority conceded an appeal about the plan's contents on Monday 3 March 2025
      And the amended EHC plan issued on <issued>
      When the duties are decided on 1 July 2025
      Then the duty "appeal.conceded_amended_plan" for the concession is <status>, due on 7 April 2025
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 45(4)"

      Examples:
        | issued       | status |
        | 7 April 2025 | met    |
        | 8 April 2025 | late   |

  Rule: mediation.held_within_30_days and mediation.certificate_after_mediation

    Scenario: Mediation within 30 days and the certificate within 3 working days of it
      Given the family asked for mediation on Monday 3 March 2025
      And the mediation held on Tuesday 25 March 2025
      And the mediation certificate issued on 28 March 2025
      When the duties are decided on 1 May 2025
      Then the duty "mediation.held_within_30_days" for the mediation request is met, due on 2 April 2025
      And the duty was satisfied by the mediation
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 37"
      And the duty "mediation.certificate_after_mediation" for the mediation is met, due on 28 March 2025
      And the duty holder is "mediation_adviser"

    Scenario: Mediation after 30 days, and a late certificate
      Given the family asked for mediation on 3 March 2025
      And the mediation held on 3 April 2025
      And the mediation certificate issued on 9 April 2025
      When the duties are decided on 1 May 2025
      Then the duty "mediation.held_within_30_days" for the mediation request is late, due on 2 April 2025
      And the duty "mediation.certificate_after_mediation" for the mediation is late, due on 8 April 2025

  Rule: mediation.certificate_when_declined - the certificate within 3 working days

    Scenario Outline: The certificate on the days around the due date
      Given the family declined mediation on Monday 3 March 2025
      And the mediation certificate issued on <issued>
      When the duties are decided on 1 May 2025
      Then the duty "mediation.certificate_when_declined" for the declined mediation is <status>, due on 6 March 2025
      And the duty cites "SEND Regulations 2014 reg 34"

      Examples:
        | issued        | status |
        | 6 March 2025  | met    |
        | 7 March 2025  | late   |
